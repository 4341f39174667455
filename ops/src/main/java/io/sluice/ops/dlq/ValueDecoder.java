package io.sluice.ops.dlq;

import io.sluice.schemas.registry.SchemaRegistryClient;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Shows record bytes to an operator: Avro in the Confluent wire format (magic byte 0, schema id, Avro binary)
 * as JSON through the registry when one is given and knows the id; else UTF-8 text when the bytes are valid
 * UTF-8 without control characters; else hex. Each form is cut at {@code maxChars}. Never throws on the bytes:
 * they are dead letters, often because they are not what they should be.
 */
public final class ValueDecoder {

    /** How a value was shown. */
    public enum Form { NULL, AVRO, TEXT, HEX }

    /** A shown value. */
    public record Decoded(Form form, String text) {
    }

    private final Optional<SchemaRegistryClient> registry;
    private final int maxChars;

    public ValueDecoder(Optional<SchemaRegistryClient> registry, int maxChars) {
        if (maxChars < 16) throw new IllegalArgumentException("maxChars must be >= 16, got " + maxChars);
        this.registry = registry;
        this.maxChars = maxChars;
    }

    public Decoded decode(byte[] bytes) {
        if (bytes == null) return new Decoded(Form.NULL, "null");
        Optional<String> avro = avro(bytes);
        if (avro.isPresent()) return new Decoded(Form.AVRO, cut(avro.get()));
        Optional<String> text = text(bytes);
        if (text.isPresent()) return new Decoded(Form.TEXT, cut(text.get()));
        int hexBytes = Math.min(bytes.length, maxChars / 2);
        String hex = HexFormat.of().formatHex(bytes, 0, hexBytes);
        return new Decoded(Form.HEX, hexBytes < bytes.length ? hex + "… (" + bytes.length + " bytes)" : hex);
    }

    private Optional<String> avro(byte[] bytes) {
        if (registry.isEmpty() || bytes.length < 5 || bytes[0] != 0) return Optional.empty();
        int id = ByteBuffer.wrap(bytes, 1, 4).getInt();
        try {
            Schema schema = registry.get().schemaById(id);
            BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, 5, bytes.length - 5, null);
            Object datum = new GenericDatumReader<>(schema).read(null, decoder);
            // Trailing bytes mean this was not one Avro datum of that schema.
            if (!decoder.isEnd()) return Optional.empty();
            return Optional.of(GenericData.get().toString(datum));
        } catch (java.io.IOException | RuntimeException e) {
            // Not Avro after all, an unknown id or the registry unreachable: show the bytes another way.
            return Optional.empty();
        }
    }

    private static Optional<String> text(byte[] bytes) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (Character.isISOControl(c) && c != '\n' && c != '\r' && c != '\t') return Optional.empty();
            }
            return Optional.of(s);
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    private String cut(String s) {
        return s.length() <= maxChars ? s : s.substring(0, maxChars) + "… (" + s.length() + " chars)";
    }
}

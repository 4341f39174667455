package io.sluice.dcb.api;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes request bytes as UTF-8, refusing what is not UTF-8 (malformed or overlong sequences,
 * encoded surrogates) with a 400 instead of replacing it: a lenient decoder turns such bytes into
 * U+FFFD or, for overlong forms like {@code C0 AF}, into another character ('/'), so the store
 * would acknowledge something other than what the client sent.
 */
final class StrictUtf8 {

    private StrictUtf8() {
    }

    /**
     * Checks that {@code bytes} are UTF-8 without building the string: a large body is then parsed
     * from its bytes once, and a refused one costs no copy.
     *
     * @param what the input in the client's terms, for the message (e.g. {@code the request body})
     */
    static void check(byte[] bytes, String what) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(Math.min(bytes.length, 8192) + 2);
        while (true) {
            CoderResult result = decoder.decode(in, out, true);
            if (result.isError()) throw malformed(what, in.position());
            if (result.isUnderflow()) return;
            out.clear();
        }
    }

    /** @param what the input in the client's terms, for the message (e.g. {@code the request body}) */
    static String decode(byte[] bytes, String what) {
        // A decoder is stateful and cheap: one per call keeps this thread-safe.
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        try {
            return decoder.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw malformed(what, in.position());
        }
    }

    private static BadRequestException malformed(String what, int offset) {
        return new BadRequestException(what + " is not valid UTF-8: malformed bytes at offset " + offset);
    }
}

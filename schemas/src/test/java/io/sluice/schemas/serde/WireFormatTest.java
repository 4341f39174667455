package io.sluice.schemas.serde;

import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WireFormatTest {

    @Test
    void headerIsMagicZeroThenBigEndianId() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        WireFormat.writeHeader(out, 0x01020304);
        assertThat(out.toByteArray()).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void schemaIdRoundTripsIncludingHighBit() {
        for (int id : new int[] {0, 1, 255, 256, 65_536, Integer.MAX_VALUE, -1}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            WireFormat.writeHeader(out, id);
            out.write(42);
            assertThat(WireFormat.schemaId(out.toByteArray(), "t", false)).isEqualTo(id);
        }
    }

    @Test
    void headerOnlyPayloadIsAccepted() {
        assertThat(WireFormat.schemaId(new byte[] {0, 0, 0, 0, 9}, "t", true)).isEqualTo(9);
    }

    @Test
    void shortPayloadIsRejectedWithLengthAndTopic() {
        assertThatThrownBy(() -> WireFormat.schemaId(new byte[] {0, 0, 1}, "backfill.dids", false))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("value of topic backfill.dids")
                .hasMessageContaining("not in the Confluent wire format")
                .hasMessageContaining("3 bytes, shorter than the 5-byte header");
    }

    @Test
    void wrongMagicByteIsRejectedNamingTheByte() {
        byte[] json = "{\"did\":\"x\"}".getBytes();
        assertThatThrownBy(() -> WireFormat.schemaId(json, "backfill.dids", true))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("key of topic backfill.dids")
                .hasMessageContaining("not in the Confluent wire format")
                .hasMessageContaining("magic byte 0x7b, expected 0x00");
    }
}

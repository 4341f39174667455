package io.sluice.schemas.serde;

import org.apache.avro.Schema;
import org.apache.avro.io.DatumWriter;
import org.apache.avro.io.Encoder;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The per-thread buffer and encoder carry nothing from one call to the next, a failed one included. */
class WireEncoderTest {

    private final WireEncoder encoder = new WireEncoder();

    @Test
    void eachCallGivesExactlyItsOwnFrame() throws IOException {
        assertThat(encoder.encode(7, strings(), "abc")).containsExactly(0, 0, 0, 0, 7, 6, 'a', 'b', 'c');
        assertThat(encoder.encode(258, strings(), "")).containsExactly(0, 0, 0, 1, 2, 0);
        String large = "x".repeat(2 * 1024 * 1024); // past the kept size, and past the encoder's buffer
        assertThat(encoder.encode(1, strings(), large)).hasSize(5 + 4 + large.length()); // header, zig-zag length in 4 bytes, text;
        assertThat(encoder.encode(7, strings(), "abc")).containsExactly(0, 0, 0, 0, 7, 6, 'a', 'b', 'c');
    }

    @Test
    void aFailedCallLeavesNothingBehind() throws IOException {
        DatumWriter<String> failing = new DatumWriter<>() {
            @Override
            public void setSchema(Schema schema) {
            }

            @Override
            public void write(String datum, Encoder out) throws IOException {
                out.writeString("partial");
                throw new IllegalArgumentException("bad datum");
            }
        };
        assertThatThrownBy(() -> encoder.encode(7, failing, "x")).hasMessage("bad datum");
        assertThat(encoder.encode(7, strings(), "abc")).containsExactly(0, 0, 0, 0, 7, 6, 'a', 'b', 'c');
    }

    private static DatumWriter<String> strings() {
        return new DatumWriter<>() {
            @Override
            public void setSchema(Schema schema) {
            }

            @Override
            public void write(String datum, Encoder out) throws IOException {
                out.writeString(datum);
            }
        };
    }
}

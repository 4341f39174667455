package io.sluice.backfill.atproto.car;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.testing.IndependentRepo;
import io.sluice.backfill.atproto.testing.RawCar;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class CarWriterTest {

    @Test
    void writesWhatAnIndependentReaderReadsAndPredictsItsSize() throws IOException {
        byte[] small = {1, 2, 3};
        byte[] large = new byte[300]; // a two-byte section length varint
        Cid a = Cid.of(Cid.RAW, small);
        Cid b = Cid.of(Cid.DAG_CBOR, large);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CarWriter writer = new CarWriter(out).header(List.of(a));
        writer.block(a, small);
        writer.block(b, new byte[310], 5, 300);

        byte[] car = out.toByteArray();
        RawCar.Car raw = RawCar.parse(car);
        assertThat(raw.sections()).hasSize(2).allMatch(RawCar.Section::digestMatches);
        assertThat(raw.sections().get(1).data()).isEqualTo(large);
        assertThat(IndependentRepo.decode(raw.header()).get("version").asInt()).isEqualTo(1);
        long predicted = CarWriter.headerLength(List.of(a)) + CarWriter.sectionLength(a.encodedLength(), 3)
                + CarWriter.sectionLength(b.encodedLength(), 300);
        assertThat(writer.bytesWritten()).isEqualTo(car.length).isEqualTo(predicted);
    }
}

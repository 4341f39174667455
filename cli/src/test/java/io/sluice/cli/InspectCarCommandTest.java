package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.backfill.atproto.testing.HostileCars;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class InspectCarCommandTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
    }

    /** greenground.repo.car from /work/shared/fixtures/atproto/car (a copy of the producers test fixture). */
    private static Path greenground() throws URISyntaxException {
        return Path.of(InspectCarCommandTest.class.getResource("/atproto/car/greenground.repo.car").toURI());
    }

    @Test
    void summaryPrintsOneJsonLine() throws Exception {
        assertThat(run("inspect-car", "--summary", greenground().toString())).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode summary = JSON.readTree(lines.getFirst());
        assertThat(summary.get("did").asText()).isEqualTo("did:plc:kzcqyc3unb33eh5sxzsfs25z");
        assertThat(summary.get("records").asLong()).isEqualTo(2);
        assertThat(summary.get("collections").get("app.bsky.graph.follow").asLong()).isEqualTo(2);
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void withoutSummaryPrintsEveryRecordAsAJsonLine() throws Exception {
        assertThat(run("inspect-car", greenground().toString())).isZero();

        List<String> lines = out.toString().lines().toList();
        assertThat(lines).hasSize(2);
        for (String line : lines) {
            JsonNode record = JSON.readTree(line);
            assertThat(record.get("collection").asText()).isEqualTo("app.bsky.graph.follow");
            assertThat(record.get("record").get("$type").asText()).isEqualTo("app.bsky.graph.follow");
            assertThat(record.get("cid").asText()).startsWith("bafyrei");
        }
    }

    @Test
    void aMissingFileIsAUsageError(@TempDir Path dir) {
        Path missing = dir.resolve("nope.car");

        assertThat(run("inspect-car", missing.toString())).isEqualTo(2);

        assertThat(err.toString()).startsWith("sluice inspect-car: FILE " + missing + ": no such file");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aTruncatedCarFailsWithTheReason(@TempDir Path dir) throws Exception {
        byte[] car = Files.readAllBytes(greenground());
        Path truncated = Files.write(dir.resolve("truncated.car"), Arrays.copyOf(car, car.length / 2));

        assertThat(run("inspect-car", "--summary", truncated.toString())).isEqualTo(1);

        assertThat(err.toString()).startsWith("sluice inspect-car: " + truncated + " is not a valid repository CAR: ")
                .doesNotContain("Exception");
    }

    @Test
    void aFileThatIsNotACarFailsWithTheReason(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("dids.txt"), "did:plc:kzcqyc3unb33eh5sxzsfs25z\n");

        assertThat(run("inspect-car", text.toString())).isEqualTo(1);

        assertThat(err.toString()).contains("is not a valid repository CAR");
    }

    @Test
    void aDirectoryIsNotAFile(@TempDir Path dir) {
        assertThat(run("inspect-car", dir.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("not a regular file");
    }

    @Test
    void aBlockOverTheBlockLimitIsOneLineNamingTheOptionThatRaisesIt(@TempDir Path dir) throws Exception {
        Path car = dir.resolve("big-block.car");
        HostileCars.amplifying(car, 2, 1_500_000);

        assertThat(run("inspect-car", "--summary", "--max-block-mb", "1", car.toString())).isEqualTo(1);

        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("sluice inspect-car: " + car + " is over a limit: ")
                .contains("maxBlockBytes=1048576", "(raise it with --max-block-mb)");
        assertThat(run("inspect-car", "--summary", "--max-block-mb", "2", car.toString())).isZero();
    }

    @Test
    void aCarOverTheBlockCountLimitIsOneLineNamingTheOptionThatRaisesIt(@TempDir Path dir) throws Exception {
        Path car = dir.resolve("many-blocks.car");
        HostileCars.manyBlocks(car, 1000, 3);

        assertThat(run("inspect-car", "--summary", "--max-car-blocks", "500", car.toString())).isEqualTo(1);

        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("sluice inspect-car: " + car + " is over a limit: ")
                .contains("more blocks than the limit maxBlocks=500", "(raise it with --max-car-blocks)");
        assertThat(run("inspect-car", "--summary", "--max-car-blocks", "2000", car.toString())).isZero();
        assertThat(run("inspect-car", "--summary", "--max-car-blocks", "0", car.toString())).isEqualTo(2);
    }

    @Test
    void withNoBlockMemoryEverythingSpillsAndTheOutputIsTheSame(@TempDir Path dir) throws Exception {
        assertThat(run("inspect-car", greenground().toString())).isZero();
        String inMemory = out.toString();
        out.getBuffer().setLength(0);

        assertThat(run("inspect-car", "--block-memory-mb", "0", "--spill-dir", dir.toString(), greenground().toString())).isZero();

        assertThat(out.toString()).isEqualTo(inMemory);
        try (var files = Files.list(dir)) {
            assertThat(files.count()).as("spill files are unlinked").isZero();
        }
    }
}

package io.sluice.backfill.atproto.repo;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.testing.Fixtures;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InspectCarTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void printsOneJsonLinePerRecord() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        RepoSummary summary = InspectCar.run(Fixtures.path("car/fakermaker.repo.car"),
                new PrintStream(bytes, true, StandardCharsets.UTF_8), false);

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        List<RepoRecord> records = new ArrayList<>();
        RepoParser.parse(new ByteArrayInputStream(Fixtures.bytes("car/fakermaker.repo.car")), Limits.DEFAULT, records::add);

        assertThat(lines).hasSize((int) summary.records()).hasSameSizeAs(records);
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = JSON.readTree(lines.get(i));
            RepoRecord record = records.get(i);
            assertThat(line.properties()).extracting(java.util.Map.Entry::getKey)
                    .containsExactly("did", "collection", "rkey", "cid", "record");
            assertThat(line.get("did").asText()).isEqualTo(summary.did());
            assertThat(line.get("collection").asText()).isEqualTo(record.collection());
            assertThat(line.get("rkey").asText()).isEqualTo(record.rkey());
            assertThat(line.get("cid").asText()).isEqualTo(record.cid().toString());
            assertThat(line.get("record")).as("embedded as an object").isEqualTo(JSON.readTree(record.json()));
        }
    }

    @Test
    void summaryFlagPrintsOnlyTheSummary() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InspectCar.run(Fixtures.path("car/greenground.repo.car"), new PrintStream(bytes, true, StandardCharsets.UTF_8), true);

        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(1);
        JsonNode summary = JSON.readTree(lines.get(0));
        assertThat(summary.get("did").asText()).isEqualTo("did:plc:kzcqyc3unb33eh5sxzsfs25z");
        assertThat(summary.get("rev").asText()).isEqualTo("3k67up3j7hf2x");
        assertThat(summary.get("records").asLong()).isEqualTo(2);
        assertThat(summary.get("blocks").asLong()).isEqualTo(4);
        assertThat(summary.get("collections").get("app.bsky.graph.follow").asLong()).isEqualTo(2);
        assertThat(summary.get("bad_cids").asLong()).isZero();
        assertThat(summary.get("missing_blocks").asLong()).isZero();
    }
}

package io.sluice.schemas.backfill;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class StorableJsonTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void jsonWithoutNulPassesAsTheSameStringAndWithoutItsCbor() {
        String json = "{\"text\":\"a \\\\u0000 that is text, \\\" and \\\\\",\"k\":\"\\uFFFF\"}";
        assertThat(StorableJson.escape(json)).isSameAs(json);
        RepoRecord.Builder b = StorableJson.apply(builder(), json, new byte[] {1});
        assertThat(b.getRecordJson()).isSameAs(json);
        assertThat(b.getRecordCbor()).isNull();
    }

    @Test
    void eachNulInAStringOrKeyBecomesTheSixCharactersAndTheCborTravels() throws IOException {
        String json = JSON.writeValueAsString(Map.of("k\u0000", "a\u0000b\\\u0000\u0000"));
        String stored = StorableJson.escape(json);
        assertThat(JSON.readValue(stored, Map.class)).isEqualTo(Map.of("k\\u0000", "a\\u0000b\\\\u0000\\u0000"));
        assertThat(stored).doesNotContain("\u0000");
        RepoRecord.Builder b = StorableJson.apply(builder(), json, new byte[] {1, 2});
        assertThat(b.getRecordJson()).isEqualTo(stored);
        assertThat(b.getRecordCbor()).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2}));
    }

    private static RepoRecord.Builder builder() {
        return RepoRecord.newBuilder().setDid("did:plc:a").setCollection("c").setRkey("r").setCid("bafy").setRev("3k")
                .setRunId("run");
    }
}

package io.sluice.dcb.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.dcb.api.GrpcConfig;
import io.sluice.dcb.service.testing.GrpcStore;
import io.sluice.grpc.v1.DcbServiceGrpc;
import io.sluice.grpc.v1.Query;
import io.sluice.grpc.v1.QueryItem;
import io.sluice.grpc.v1.ReadRequest;
import io.sluice.testing.TestStack;
import io.sluice.testing.WithSluiceStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The gRPC API through a client nobody here wrote: Node's @grpc/grpc-js with the .proto files loaded
 * as they are ({@link NodeGrpcClient}), against the real stack. The client reads, subscribes (catch-up,
 * then a live event), appends on AppendStream in ORDERED and ASYNC modes and publishes DIDs, and says
 * what it saw; every outcome is checked here, and the positions it was given against grpc-java's read.
 * Node or its packages missing: fails under CI=true, else skipped.
 */
@WithSluiceStack
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class DcbGrpcNodeClientIT {

    @TempDir
    Path scratch;

    @Test
    void aNodeClientReadsSubscribesAppendsAndPublishesAsTheProtoSays(TestStack stack, @TempDir Path stateDir) throws Exception {
        NodeGrpcClient.require();
        try (GrpcStore store = GrpcStore.start(stack, stateDir, GrpcConfig.defaults(0))) {
            String tag = "node:" + UUID.randomUUID();
            JsonNode seen = NodeGrpcClient.run(store.target(), Duration.ofSeconds(90), scratch, "--tag", tag);
            System.out.println("node client: " + seen);
            assertThat(seen.has("error")).as("the client failed: %s", seen.path("error")).isFalse();

            long first = seen.at("/append/first").asLong();
            assertThat(first).isPositive();
            assertThat(seen.at("/append/last").asLong()).isEqualTo(first + 2);
            assertThat(longs(seen.get("read"), "position")).containsExactly(first, first + 1, first + 2);
            assertThat(texts(seen.get("read"), "data")).containsExactly("r-0", "r-1", "r-2");
            assertThat(longs(seen.get("readBackwardsLimit2"), null)).containsExactly(first + 2, first + 1);
            assertThat(seen.at("/conditionFailure/status").asText()).isEqualTo("FAILED_PRECONDITION");

            JsonNode subscribe = seen.get("subscribe");
            assertThat(longs(subscribe.get("catchUp"), null)).as("catch-up").containsExactly(first, first + 1, first + 2);
            assertThat(subscribe.get("heartbeatHead").asLong()).isGreaterThanOrEqualTo(first + 2);
            assertThat(subscribe.at("/live/position").asLong()).as("the live event is the append made after the heartbeat")
                    .isEqualTo(subscribe.get("liveAppended").asLong()).isGreaterThan(first + 2);
            assertThat(subscribe.at("/live/data").asText()).isEqualTo("live-0");
            assertThat(subscribe.get("endStatus").asText()).isEqualTo("CANCELLED");

            JsonNode ordered = seen.get("ordered");
            List<String> orderedIds = new ArrayList<>();
            IntStream.range(0, 5).forEach(i -> orderedIds.add(tag + ":ordered#o" + i));
            orderedIds.add(tag + ":ordered#failing");
            IntStream.range(0, 2).forEach(i -> orderedIds.add(tag + ":ordered#p" + i));
            assertThat(texts(ordered, "commandId")).as("answered in request order").containsExactlyElementsOf(orderedIds);
            assertThat(ordered.get(5).get("errorStatus").asText()).isEqualTo("FAILED_PRECONDITION");
            assertThat(ordered.get(5).get("errorCode").asInt()).isEqualTo(9);
            List<Long> orderedPositions = new ArrayList<>();
            for (int i : new int[] {0, 1, 2, 3, 4, 6, 7}) {
                assertThat(ordered.get(i).has("errorCode")).as("answer %d: %s", i, ordered.get(i)).isFalse();
                orderedPositions.add(ordered.get(i).get("first").asLong());
            }
            assertThat(orderedPositions).as("decided one at a time, in order").isSorted().doesNotHaveDuplicates();
            assertThat(positionsOf(store, tag + ":ordered")).as("grpc-java reads what node was told")
                    .containsExactlyElementsOf(orderedPositions);

            JsonNode async = seen.get("async");
            List<String> asyncIds = IntStream.range(0, 20).mapToObj(i -> tag + ":async#a" + i).toList();
            assertThat(texts(async, "commandId")).containsExactlyInAnyOrderElementsOf(asyncIds);
            assertThat(async).allSatisfy(answer -> assertThat(answer.has("first")).as("%s", answer).isTrue());
            List<Long> asyncPositions = longs(async, "first");
            assertThat(asyncPositions).doesNotHaveDuplicates();
            assertThat(positionsOf(store, tag + ":async")).containsExactlyInAnyOrderElementsOf(asyncPositions);

            JsonNode summary = seen.get("publishDids");
            assertThat(summary.get("runId").asText()).startsWith("run-");
            assertThat(summary.get("lines").asLong()).isEqualTo(5);
            assertThat(summary.get("published").asLong()).isEqualTo(2);
            assertThat(summary.get("duplicates").asLong()).isEqualTo(1);
            assertThat(summary.get("invalid").asLong()).isEqualTo(1);
            assertThat(summary.get("invalidLines")).singleElement().satisfies(line -> {
                assertThat(line.get("line").asLong()).isEqualTo(3);
                assertThat(line.get("text").asText()).isEqualTo("not-a-did");
            });
        }
    }

    /** uint64 fields come as decimal strings (proto-loader's longs: String); asLong reads both. */
    private static List<Long> longs(JsonNode array, String field) {
        List<Long> values = new ArrayList<>();
        array.forEach(e -> values.add((field == null ? e : e.get(field)).asLong()));
        return values;
    }

    private static List<String> texts(JsonNode array, String field) {
        List<String> values = new ArrayList<>();
        array.forEach(e -> values.add(e.get(field).asText()));
        return values;
    }

    private static List<Long> positionsOf(GrpcStore store, String tag) {
        List<Long> positions = new ArrayList<>();
        DcbServiceGrpc.newBlockingStub(store.channel()).withDeadlineAfter(30, TimeUnit.SECONDS)
                .read(ReadRequest.newBuilder().setQuery(Query.newBuilder().addItems(QueryItem.newBuilder().addTags(tag))).build())
                .forEachRemaining(r -> r.getEventsList().forEach(e -> positions.add(e.getPosition())));
        return positions;
    }
}

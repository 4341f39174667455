package io.sluice.backfill.atproto.cbor;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The nesting limit: a parameter, by default deep enough for what the reference PDS accepts, and stack-safe. */
class DagCborDepthTest {

    /** {@code levels} nested single-key maps {"a": ...} around 0. */
    static byte[] nestedMaps(int levels) {
        return HexFormat.of().parseHex("a16161".repeat(levels) + "00");
    }

    @Test
    void aRecord140LevelsDeepIsAcceptedByDefaultAndTheLimitIsAParameter() {
        byte[] cbor = nestedMaps(140);
        assertThat(DagCborJson.toJson(cbor)).startsWith("{\"a\":{\"a\":").endsWith("0" + "}".repeat(140));
        assertThat(DagCborDecoder.decode(cbor)).isNotNull();
        assertThatThrownBy(() -> DagCborJson.toJson(cbor, 128)).isInstanceOf(DagCborDepthException.class)
                .hasMessageContaining("nesting deeper than 128");
        assertThat(DagCborJson.toJson(nestedMaps(128), 128)).endsWith("}".repeat(128));
    }

    /**
     * Twice the default depth (the fetcher's max record depth is capped there) transcodes in a 1 MiB stack,
     * the JVM's default for platform and virtual threads alike; the default depth decodes in half of that.
     */
    @Test
    void theDepthLimitsFitInTheDefaultStack() throws InterruptedException {
        int twice = 2 * DagCborJson.DEFAULT_MAX_DEPTH;
        assertThat(onStack(1024 * 1024, () -> DagCborJson.toJson(nestedMaps(twice), twice))).isEqualTo("ok");
        byte[] deepest = nestedMaps(DagCborJson.DEFAULT_MAX_DEPTH);
        assertThat(onStack(512 * 1024, () -> {
            DagCborJson.toJson(deepest);
            DagCborEncoder.encodeValue(DagCborDecoder.decode(deepest));
        })).isEqualTo("ok");
        assertThatThrownBy(() -> DagCborJson.toJson(nestedMaps(DagCborJson.DEFAULT_MAX_DEPTH + 1)))
                .isInstanceOf(DagCborDepthException.class);
    }

    /** "ok", or what {@code work} threw on a fresh thread of {@code stackBytes} (cold: interpreted frames, the largest). */
    private static Object onStack(long stackBytes, Runnable work) throws InterruptedException {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread t = new Thread(null, () -> {
            try {
                work.run();
                result.set("ok");
            } catch (StackOverflowError | RuntimeException e) {
                result.set(e);
            }
        }, "small-stack", stackBytes);
        t.start();
        t.join();
        return result.get();
    }
}

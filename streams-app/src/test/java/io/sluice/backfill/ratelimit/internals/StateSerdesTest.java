package io.sluice.backfill.ratelimit.internals;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.backfill.ratelimit.RateLimitPolicy;
import io.sluice.backfill.ratelimit.RateLimiterConfig;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.utils.Bytes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StateSerdesTest {

    private final RateLimiterConfig config = RateLimiterConfig.builder(ConnectionSettings.plaintext("b:9092", "http://r")).defaultPolicy(RateLimitPolicy.parse("20/s"))
            .hostPolicy("slow.example.com", RateLimitPolicy.parse("5/s")).build();

    @Test
    void hostStateRoundTripsWithItsHistory() {
        HostState s = HostState.fresh("slow.example.com", HostLimits.of(config, "slow.example.com"), 1_000);
        for (int i = 0; i < 7; i++) s.claimTail();
        s.claimHead();
        s.acquire(1_000);
        s.acquire(1_400);
        SignalRules.apply(s, new io.sluice.schemas.backfill.RateLimitSignal("slow.example.com",
                io.sluice.schemas.backfill.RateLimitKind.HEADERS, 5, 2, java.time.Instant.ofEpochMilli(2_000), null,
                java.time.Instant.ofEpochMilli(1_450)), 1_450, config.timing());

        HostStateSerde serde = new HostStateSerde(config);
        HostState back = serde.deserializer().deserialize("t", serde.serializer().serialize("t", s));

        assertThat(back.toString()).isEqualTo(s.toString());
        assertThat(back.limits().policy()).isEqualTo(RateLimitPolicy.parse("5/s"));
        assertThat(back.head()).isEqualTo(1);
        assertThat(back.tail()).isEqualTo(7);
        assertThat(back.limiter().log().countAfter(0)).isEqualTo(s.limiter().log().countAfter(0));
        assertThat(back.limiter().pacing().tokens()).isEqualTo(s.limiter().pacing().tokens());
        assertThat(back.limiter().pacing().lastRefillAt()).isEqualTo(1_400);
        assertThat(back.learned()).isEqualTo(s.learned());
        assertThat(back.budget()).isEqualTo(s.budget());
        assertThat(back.budgetUntil()).isEqualTo(s.budgetUntil());
        assertThat(back.lastHeadersAt()).isEqualTo(1_450);
    }

    @Test
    void unknownFormatVersionIsAnError() {
        HostStateSerde serde = new HostStateSerde(config);
        assertThatThrownBy(() -> serde.deserializer().deserialize("changelog", new byte[] {9, 0}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("format version 9");
        assertThatThrownBy(() -> QueueSerdes.values().deserializer().deserialize("changelog", new byte[] {1}))
                .isInstanceOf(SerializationException.class).hasMessageContaining("corrupt queued task");
    }

    @Test
    void queuedTasksRoundTrip() {
        QueuedTask t = new QueuedTask("did:plc:abc", "https://pds.example.com", "pds.example.com", "run-1", 3, 123L);
        Serde<QueuedTask> serde = QueueSerdes.values();
        assertThat(serde.deserializer().deserialize("t", serde.serializer().serialize("t", t))).isEqualTo(t);
    }

    @Test
    void queueKeysSortByHostThenSequence() {
        Serde<QueueKey> serde = QueueSerdes.keys();
        QueueKey a1 = new QueueKey("a.example", 1);
        QueueKey a256 = new QueueKey("a.example", 256);
        QueueKey ab0 = new QueueKey("a.example.b", 0);
        Bytes b1 = Bytes.wrap(serde.serializer().serialize("t", a1));
        Bytes b256 = Bytes.wrap(serde.serializer().serialize("t", a256));
        Bytes bab = Bytes.wrap(serde.serializer().serialize("t", ab0));
        assertThat(b1).isLessThan(b256);
        assertThat(b256).isLessThan(bab);
        assertThat(serde.deserializer().deserialize("t", b256.get())).isEqualTo(a256);
        assertThatThrownBy(() -> new QueueKey("bad\0host", 1)).hasMessageContaining("NUL");
    }
}

package io.sluice.dcb.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ReadFenceTest {

    @Test
    void aReadPassesAtOnceWhenTheSinkHasEverythingAcknowledged() throws InterruptedException {
        ReadFence fence = new ReadFence();
        assertThat(fence.await(Duration.ZERO)).isTrue();
        fence.acknowledged(5);
        fence.committed(7);
        assertThat(fence.await(Duration.ZERO)).isTrue();
    }

    @Test
    void aReadWaitsForTheAcknowledgedPositionAtItsStartOnly() throws Exception {
        ReadFence fence = new ReadFence();
        fence.acknowledged(10);
        fence.committed(4);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<Boolean> read = CompletableFuture.supplyAsync(() -> {
                try {
                    return fence.await(Duration.ofSeconds(10));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, pool);
            Thread.sleep(50);
            fence.committed(9);
            // Later acknowledgements do not hold back a read that started before them.
            fence.acknowledged(20);
            Thread.sleep(50);
            assertThat(read).isNotDone();
            fence.committed(10);
            assertThat(read.get(5, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void positionsOnlyRiseAndAReadGivesUpAfterItsTimeout() throws InterruptedException {
        ReadFence fence = new ReadFence();
        fence.acknowledged(8);
        fence.acknowledged(3);
        fence.committed(6);
        fence.committed(2);
        assertThat(fence.acknowledged()).isEqualTo(8);
        assertThat(fence.committed()).isEqualTo(6);
        assertThat(fence.await(Duration.ofMillis(20))).isFalse();
    }
}

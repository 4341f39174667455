package io.sluice.common.lifecycle;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LoopThreadTest {

    @Test
    void aLoopThatEndsCompletesAndOneThatThrowsFailsWithItsException() throws Exception {
        LoopThread.start("ok", () -> { }).get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> LoopThread.start("bad", () -> { throw new IllegalStateException("boom"); }).get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).cause().isInstanceOf(IllegalStateException.class).hasMessage("boom");
    }

    @Test
    void anErrorReachesTheUncaughtExceptionHandlerAndFailsTheFuture() throws Exception {
        CompletableFuture<Throwable> handled = new CompletableFuture<>();
        Thread.UncaughtExceptionHandler before = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler((thread, e) -> handled.complete(e));
        try {
            CompletableFuture<Void> ended = LoopThread.start("oom", () -> { throw new OutOfMemoryError("Java heap space"); });

            assertThat(handled.get(5, TimeUnit.SECONDS)).isInstanceOf(OutOfMemoryError.class);
            assertThatThrownBy(() -> ended.get(5, TimeUnit.SECONDS)).cause().hasMessageContaining("oom died of an Error");
        } finally {
            Thread.setDefaultUncaughtExceptionHandler(before);
        }
    }
}

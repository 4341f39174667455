package io.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ShutdownWatchdogTest {

    /** The child: a service whose close hangs; the first SIGTERM must still end the process. */
    public static void main(String[] args) throws Exception {
        StopSignals stop = StopSignals.install(new PrintWriter(System.err, true), Duration.ofSeconds(1));
        stop.closing("the stuck broker");
        System.out.println("running");
        System.out.flush();
        stop.await();
        new CountDownLatch(1).await(); // a close that never returns
    }

    @Test
    void haltsAfterTheDeadlineNamingWhatWasClosing() throws Exception {
        StringWriter text = new StringWriter();
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        ShutdownWatchdog.start(() -> "the embedded stack", Duration.ofMillis(100), new PrintWriter(text), halted::complete);
        assertThat(halted.get(10, TimeUnit.SECONDS)).isEqualTo(ShutdownWatchdog.EXIT_CODE);
        assertThat(text.toString()).contains("still closing the embedded stack");
    }

    @Test
    void aCancelledWatchdogDoesNotHalt() throws Exception {
        CompletableFuture<Integer> halted = new CompletableFuture<>();
        Thread watchdog = ShutdownWatchdog.start(() -> "x", Duration.ofMillis(200), new PrintWriter(new StringWriter()),
                halted::complete);
        watchdog.interrupt();
        watchdog.join(5_000);
        assertThat(watchdog.isAlive()).isFalse();
        assertThat(halted).isNotDone();
    }

    @Test
    void aStopWhoseCloseHangsEndsTheProcessAtTheDeadline() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), ShutdownWatchdogTest.class.getName())
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("running");
            child.toHandle().destroy(); // one SIGTERM
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(ShutdownWatchdog.EXIT_CODE);
            assertThat(new String(child.getErrorStream().readAllBytes())).contains("still closing the stuck broker");
        } finally {
            child.destroyForcibly();
        }
    }
}

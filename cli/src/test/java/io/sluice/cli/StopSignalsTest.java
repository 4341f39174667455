package io.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** In a child JVM, as signals go to a whole process. */
class StopSignalsTest {

    /** The child: waits for a stop signal, then finishes normally. */
    public static void main(String[] args) throws InterruptedException {
        StopSignals signals = StopSignals.install(new PrintWriter(System.err, true));
        System.out.println("waiting");
        System.out.flush();
        signals.await();
        System.out.println("stopped in order");
        System.exit(0);
    }

    @Test
    void sigtermEndsTheWaitAndTheProcessExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StopSignalsTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("waiting");

            child.toHandle().destroy(); // SIGTERM; Process.destroy() would also close our end of stdout

            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out.readLine()).isEqualTo("stopped in order");
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }
}

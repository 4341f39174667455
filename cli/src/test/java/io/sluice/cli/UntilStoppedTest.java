package io.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** In a child JVM, as signals go to a whole process (and must not be taken from the test JVM). */
class UntilStoppedTest {

    /** The child: a "service" whose loop runs until it is closed. */
    public static void main(String[] args) throws Exception {
        CountDownLatch closed = new CountDownLatch(1);
        if (args.length > 0 && args[0].equals("fail")) {
            try {
                UntilStopped.run("svc", () -> { throw new IllegalStateException("broker gone"); }, () -> { },
                        () -> "", new PrintWriter(System.err, true), Duration.ofMillis(100));
            } catch (IllegalStateException e) {
                System.out.println("threw " + e.getMessage());
                System.exit(1);
            }
        }
        Runnable loop = () -> {
            System.out.println("running");
            System.out.flush();
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        int code = UntilStopped.run("svc", loop, closed::countDown, () -> "status ok",
                new PrintWriter(System.err, true), Duration.ofMillis(200));
        System.out.println("exit " + code);
        System.exit(code);
    }

    @Test
    void sigtermClosesTheServiceAndExitsZero() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), UntilStoppedTest.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("running");
            child.toHandle().destroy();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(out.readLine()).isEqualTo("exit 0");
            assertThat(child.exitValue()).isZero();
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void aLoopThatFailsFailsTheCommand() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), UntilStoppedTest.class.getName(),
                "fail").redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("threw broker gone");
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(1);
        } finally {
            child.destroyForcibly();
        }
    }
}

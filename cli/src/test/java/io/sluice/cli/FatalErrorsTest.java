package io.sluice.cli;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** In a child JVM, as the handler halts the whole process. */
class FatalErrorsTest {

    /** The child: installs the handler as Sluice.main does; a worker thread throws; main would run on. */
    public static void main(String[] args) throws InterruptedException {
        FatalErrors.install();
        Thread worker = new Thread(() -> {
            if (args[0].equals("error")) throw new OutOfMemoryError("Java heap space");
            throw new IllegalStateException("just an exception");
        }, "fetcher-7");
        worker.start();
        worker.join();
        System.out.println("main still running");
        System.out.flush();
        Thread.sleep(60_000);
    }

    private static Process child(String kind) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), FatalErrorsTest.class.getName(), kind)
                .start();
    }

    @Test
    void anErrorOnAnyThreadHaltsTheProcessWithTheDocumentedCode() throws Exception {
        Process child = child("error");
        try {
            assertThat(child.waitFor(20, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).isEqualTo(FatalErrors.EXIT_CODE).isEqualTo(70);
            String err = new String(child.getErrorStream().readAllBytes());
            assertThat(err).contains("fetcher-7").contains("OutOfMemoryError").contains("Java heap space");
            assertThat(new String(child.getInputStream().readAllBytes())).doesNotContain("main still running");
        } finally {
            child.destroyForcibly();
        }
    }

    @Test
    void anExceptionOnAThreadOnlyPrintsItsStackTrace() throws Exception {
        Process child = child("exception");
        try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()))) {
            assertThat(out.readLine()).isEqualTo("main still running");
            assertThat(child.isAlive()).isTrue();
        } finally {
            child.destroyForcibly();
        }
    }
}

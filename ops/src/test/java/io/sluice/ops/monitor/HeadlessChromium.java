package io.sluice.ops.monitor;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code chromium}, headless, for tests that need a page's JavaScript to have run: it loads
 * the URL, lets the page run for a virtual-time budget (timers and fetches included), and prints the
 * resulting DOM.
 *
 * <p>The rule when it is missing: under CI ({@code CI=true}) the test fails, since {@code .ci/run}
 * installs chromium; elsewhere it is skipped with a message saying how to install it.
 */
final class HeadlessChromium {

    static final Path BINARY = Path.of("/usr/bin/chromium");

    private HeadlessChromium() {
    }

    /** Skips (locally) or fails (under CI) when chromium is not installed. */
    static void require() {
        if (Files.isExecutable(BINARY)) return;
        String message = BINARY + " is missing: install Debian's chromium package (apt-get install -y chromium)";
        if ("true".equals(System.getenv("CI"))) throw new AssertionError(message + "; .ci/run installs it under CI");
        System.err.println("SKIPPED: " + message);
        Assumptions.abort(message);
    }

    /** The DOM of {@code url} after {@code budgetMs} of virtual time. */
    static String dumpDom(URI url, int budgetMs, Path scratch) throws IOException, InterruptedException {
        Path profile = Files.createTempDirectory(scratch, "chromium-profile");
        Path log = scratch.resolve("chromium.log");
        List<String> command = List.of(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--disable-background-networking", "--disable-quic", "--no-first-run", "--disable-component-update",
                "--disable-sync", "--disable-dev-shm-usage", "--user-data-dir=" + profile,
                "--virtual-time-budget=" + budgetMs, "--dump-dom", url.toString());
        Process p = new ProcessBuilder(command).redirectError(log.toFile()).start();
        byte[] dom = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("chromium did not exit within 60 s; see " + log);
        }
        if (p.exitValue() != 0) {
            throw new IllegalStateException("chromium exited " + p.exitValue() + ": " + Files.readString(log));
        }
        return new String(dom, StandardCharsets.UTF_8);
    }
}

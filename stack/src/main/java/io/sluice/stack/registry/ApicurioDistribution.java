package io.sluice.stack.registry;

import io.sluice.stack.StackException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Finds the Apicurio Registry Quarkus distribution, {@code io.apicurio:apicurio-registry-app:VERSION:tar.gz:all}:
 * in the local Maven repository, else downloaded from Maven Central (checked against its SHA-1),
 * and unpacks it once into a cache directory shared by every later start.
 */
public final class ApicurioDistribution {

    public static final String VERSION = "3.3.3";
    private static final String ARTIFACT_PATH =
            "io/apicurio/apicurio-registry-app/" + VERSION + "/apicurio-registry-app-" + VERSION + "-all.tar.gz";
    private static final String CENTRAL = "https://repo.maven.apache.org/maven2/";

    private ApicurioDistribution() {
    }

    /** The unpacked distribution directory, holding {@code quarkus-run.jar}. */
    public static Path resolve(Consumer<String> progress) {
        Path home = cacheDir().resolve("apicurio-registry-" + VERSION);
        if (Files.isRegularFile(home.resolve("quarkus-run.jar"))) return home;
        Path archive = localMavenArchive();
        if (!Files.isRegularFile(archive)) {
            progress.accept("downloading Apicurio Registry " + VERSION + " from Maven Central (about 160 MB, once)");
            archive = download();
        }
        progress.accept("unpacking Apicurio Registry " + VERSION + " into " + home);
        unpack(archive, home);
        return home;
    }

    private static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("sluice");
    }

    private static Path localMavenArchive() {
        String repo = System.getProperty("maven.repo.local");
        Path base = repo != null ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return base.resolve(ARTIFACT_PATH);
    }

    private static Path download() {
        Path target = cacheDir().resolve("apicurio-registry-app-" + VERSION + "-all.tar.gz");
        if (Files.isRegularFile(target)) return target;
        HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(30)).build();
        try {
            Files.createDirectories(target.getParent());
            String expectedSha1 = http.send(HttpRequest.newBuilder(URI.create(CENTRAL + ARTIFACT_PATH + ".sha1")).build(),
                    HttpResponse.BodyHandlers.ofString()).body().trim().split("\\s+")[0];
            Path partial = Files.createTempFile(target.getParent(), "apicurio-", ".part");
            HttpResponse<Path> response = http.send(HttpRequest.newBuilder(URI.create(CENTRAL + ARTIFACT_PATH)).build(),
                    HttpResponse.BodyHandlers.ofFile(partial));
            if (response.statusCode() != 200) {
                Files.deleteIfExists(partial);
                throw new StackException("cannot download " + CENTRAL + ARTIFACT_PATH + ": HTTP " + response.statusCode());
            }
            String actual = sha1(partial);
            if (!actual.equalsIgnoreCase(expectedSha1)) {
                Files.deleteIfExists(partial);
                throw new StackException("checksum mismatch for the Apicurio download: expected " + expectedSha1 + ", got " + actual);
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return target;
        } catch (IOException e) {
            throw new StackException("cannot download Apicurio Registry from Maven Central (" + e.getMessage()
                    + "); set SLUICE_REGISTRY_URL to use a running Confluent-compatible registry instead", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while downloading Apicurio Registry", e);
        }
    }

    /** Unpacks into a sibling temp dir, then renames, so a crash never leaves a half-unpacked cache. */
    private static void unpack(Path archive, Path home) {
        try {
            Files.createDirectories(home.getParent());
            Path staging = Files.createTempDirectory(home.getParent(), "unpack-");
            Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", staging.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (!tar.waitFor(5, TimeUnit.MINUTES) || tar.exitValue() != 0) {
                throw new StackException("cannot unpack " + archive + ": " + output);
            }
            try {
                Files.move(staging, home, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                // Another process unpacked it first: theirs is as good as ours.
                if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) throw e;
                io.sluice.stack.TempDirs.deleteRecursively(staging);
            }
        } catch (IOException e) {
            throw new StackException("cannot unpack " + archive + " into " + home + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while unpacking Apicurio Registry", e);
        }
    }

    private static String sha1(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-1");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) digest.update(buffer, 0, n);
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}

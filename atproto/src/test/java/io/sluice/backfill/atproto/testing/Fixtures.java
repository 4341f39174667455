package io.sluice.backfill.atproto.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The atproto fixtures under {@code src/test/resources/atproto} (a copy of
 * {@code /work/shared/fixtures/atproto}: bluesky-social/atproto-interop-tests and indigo's test
 * repositories; see the README and licences there).
 */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path root() {
        URL url = Fixtures.class.getResource("/atproto/README.md");
        if (url == null) {
            throw new IllegalStateException("atproto fixtures missing from the test classpath");
        }
        try {
            URI uri = url.toURI();
            // Other modules' tests read the fixtures from this module's test-jar.
            if ("jar".equals(uri.getScheme())) openJar(uri);
            return Path.of(uri).getParent();
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("cannot open the atproto fixtures at " + url, e);
        }
    }

    private static synchronized void openJar(URI uri) throws IOException {
        try {
            FileSystems.getFileSystem(uri);
        } catch (FileSystemNotFoundException notYet) {
            FileSystems.newFileSystem(uri, Map.of());
        }
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static byte[] bytes(String relative) {
        try {
            return Files.readAllBytes(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String relative) {
        return new String(bytes(relative), StandardCharsets.UTF_8);
    }

    /**
     * The values of a {@code syntax/*.txt} vector file: one per line, skipping blank lines and
     * {@code #} comments. Lines are NOT trimmed: some vectors are invalid precisely because of a
     * leading or trailing space.
     */
    public static List<String> vectors(String file) {
        return text("syntax/" + file).lines()
                .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                .toList();
    }

    /** Every {@code car/*.car} file, sorted by name. */
    public static List<Path> carFiles() {
        try (Stream<Path> files = Files.list(path("car"))) {
            return files.filter(p -> p.getFileName().toString().endsWith(".car")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

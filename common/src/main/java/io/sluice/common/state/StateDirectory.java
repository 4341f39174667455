package io.sluice.common.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A Streams application instance's {@code state.dir} on this host, held (a lock file inside it) for as
 * long as the instance runs. Kafka Streams locks {@code <state.dir>/<application id>} itself and fails
 * a second instance that shares it; claiming the directory first lets a second instance on one host
 * take the next free one instead ({@link #claimDefault}), or fail with a message that names the option
 * ({@link #claim}).
 *
 * <p>Default layout: {@code <base>/<application id>} for the first instance, {@code <base>/<application
 * id>.<n>} (n = 2, 3, ...) for others that run at the same time; a restarted instance takes the first
 * free one, so its state is usually where it left it. Base: {@link #defaultBase()}.
 */
public final class StateDirectory implements AutoCloseable {

    /** The lock file in each claimed directory. */
    public static final String LOCK_FILE = "sluice-instance.lock";
    private static final int MAX_INSTANCES = 64;

    private final Path path;
    private final FileChannel channel;
    private final FileLock lock;

    private StateDirectory(Path path, FileChannel channel, FileLock lock) {
        this.path = path;
        this.channel = channel;
        this.lock = lock;
    }

    /** {@code ${java.io.tmpdir}/sluice-streams}, beside Kafka Streams' own default ({@code kafka-streams}). */
    public static Path defaultBase() {
        return Path.of(System.getProperty("java.io.tmpdir"), "sluice-streams");
    }

    /**
     * Claims {@code dir}, a directory the user chose ({@code option} names where it came from, for the
     * error): fails when another instance on this host holds it.
     */
    public static StateDirectory claim(Path dir, String option) {
        Objects.requireNonNull(dir, "dir");
        return tryClaim(dir).orElseThrow(() -> new StateDirectoryInUseException("state directory " + dir + " (" + option
                + ") is in use by another running instance on this host; give each instance its own"));
    }

    /** Claims {@code <base>/<applicationId>}, or the first free {@code <base>/<applicationId>.<n>}. */
    public static StateDirectory claimDefault(Path base, String applicationId) {
        Objects.requireNonNull(base, "base");
        checkApplicationId(applicationId);
        for (int n = 1; n <= MAX_INSTANCES; n++) {
            Optional<StateDirectory> claimed = tryClaim(base.resolve(instanceName(applicationId, n)));
            if (claimed.isPresent()) return claimed.get();
        }
        throw new StateDirectoryInUseException(MAX_INSTANCES + " instances of " + applicationId + " already hold state directories under "
                + base);
    }

    /** The instance directories of {@code applicationId} under {@code base} that exist (held or not), first one first. */
    public static List<Path> instances(Path base, String applicationId) {
        checkApplicationId(applicationId);
        if (!Files.isDirectory(base)) return List.of();
        Pattern name = Pattern.compile(Pattern.quote(applicationId) + "(\\.[2-9]|\\.[1-9][0-9]+)?");
        List<Path> found = new ArrayList<>();
        try (Stream<Path> children = Files.list(base)) {
            children.filter(p -> Files.isDirectory(p) && name.matcher(p.getFileName().toString()).matches())
                    .sorted().forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException("listing " + base, e);
        }
        return List.copyOf(found);
    }

    /** The directory: Kafka Streams' {@code state.dir}. */
    public Path path() {
        return path;
    }

    /** Releases the directory (its contents stay, for the next instance). */
    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("releasing " + path, e);
        }
    }

    private static String instanceName(String applicationId, int n) {
        return n == 1 ? applicationId : applicationId + "." + n;
    }

    private static void checkApplicationId(String applicationId) {
        // what Kafka Streams accepts in an application id; it becomes a file name here
        if (applicationId == null || !applicationId.matches("[A-Za-z0-9._-]+") || applicationId.matches("\\.+")) {
            throw new IllegalArgumentException("application id must be letters, digits, '.', '_' and '-', got '" + applicationId + "'");
        }
    }

    private static Optional<StateDirectory> tryClaim(Path dir) {
        FileChannel channel = null;
        try {
            Files.createDirectories(dir);
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock != null) return Optional.of(new StateDirectory(dir, channel, lock));
        } catch (OverlappingFileLockException heldInThisProcess) {
            // another instance in this JVM holds it: the same as another process
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UncheckedIOException("cannot use " + dir + " as a state directory", e);
        }
        closeQuietly(channel);
        return Optional.empty();
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing was locked through it
        }
    }

    /** The state directory asked for is held by another running instance. */
    public static final class StateDirectoryInUseException extends IllegalStateException {
        public StateDirectoryInUseException(String message) {
            super(message);
        }
    }
}

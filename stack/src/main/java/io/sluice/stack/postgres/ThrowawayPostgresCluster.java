package io.sluice.stack.postgres;

import io.sluice.stack.FreePorts;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackException;
import io.sluice.stack.TempDirs;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster created with the machine's own {@code initdb} and {@code pg_ctl} in a temp
 * dir, listening on a free loopback port with trust auth, removed at close. PostgreSQL refuses to
 * run as root, so as root the binaries run as an unprivileged user ({@code postgres} or {@code nobody}).
 */
public final class ThrowawayPostgresCluster implements AutoCloseable {

    private final Path binDir;
    private final Path dataDir;
    private final Optional<String> runAs;
    private final int port;

    private ThrowawayPostgresCluster(Path binDir, Path dataDir, Optional<String> runAs, int port) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.runAs = runAs;
        this.port = port;
    }

    public static Optional<ThrowawayPostgresCluster> startIfInstalled(Consumer<String> progress) {
        Optional<Path> bin = findBinDir();
        if (bin.isEmpty()) return Optional.empty();
        Path dir = TempDirs.create("sluice-pg-");
        Optional<String> runAs = isRoot() ? Optional.of(unprivilegedUser()) : Optional.empty();
        ThrowawayPostgresCluster cluster = new ThrowawayPostgresCluster(bin.get(), dir.resolve("data"), runAs, FreePorts.next());
        try {
            if (runAs.isPresent()) chown(dir, runAs.get());
            progress.accept("initdb " + cluster.dataDir + " with " + bin.get() + runAs.map(u -> " as " + u).orElse(""));
            cluster.run("initdb", "-D", cluster.dataDir.toString(), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync");
            cluster.run("pg_ctl", "-D", cluster.dataDir.toString(), "-l", dir.resolve("server.log").toString(), "-w", "-t", "60",
                    "-o", "-p " + cluster.port + " -k " + dir + " -c listen_addresses=127.0.0.1 -c fsync=off", "start");
            return Optional.of(cluster);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(dir);
            throw e;
        }
    }

    public PostgresEndpoint endpoint() {
        return new PostgresEndpoint("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
    }

    @Override
    public void close() {
        try {
            run("pg_ctl", "-D", dataDir.toString(), "-m", "fast", "-w", "stop");
        } finally {
            TempDirs.deleteRecursively(dataDir.getParent());
        }
    }

    private void run(String tool, String... args) {
        List<String> command = new ArrayList<>();
        runAs.ifPresent(user -> command.addAll(List.of("runuser", "-u", user, "--")));
        command.add(binDir.resolve(tool).toString());
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).directory(dataDir.getParent().toFile()).start();
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(2, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new StackException(tool + " failed: " + String.join(" ", command) + "\n" + output);
            }
        } catch (IOException e) {
            throw new StackException("cannot run " + tool + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while running " + tool, e);
        }
    }

    static Optional<Path> findBinDir() {
        for (String entry : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path dir = Path.of(entry);
            if (Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"))) return Optional.of(dir);
        }
        Path debian = Path.of("/usr/lib/postgresql");
        if (!Files.isDirectory(debian)) return Optional.empty();
        try (Stream<Path> versions = Files.list(debian)) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")) && Files.isExecutable(b.resolve("pg_ctl")))
                    .max(Comparator.comparingInt(b -> versionOf(b.getParent().getFileName().toString())));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static int versionOf(String name) {
        try {
            return Integer.parseInt(name.replaceAll("[^0-9].*", ""));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static String unprivilegedUser() {
        try {
            return Files.readAllLines(Path.of("/etc/passwd")).stream().anyMatch(l -> l.startsWith("postgres:")) ? "postgres" : "nobody";
        } catch (IOException e) {
            return "nobody";
        }
    }

    private static void chown(Path dir, String user) {
        try {
            UserPrincipal principal = dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
            Files.setOwner(dir, principal);
        } catch (IOException e) {
            throw new StackException("cannot hand " + dir + " to user " + user + ": " + e.getMessage(), e);
        }
    }
}

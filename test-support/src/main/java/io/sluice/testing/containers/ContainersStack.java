package io.sluice.testing.containers;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import io.sluice.common.client.ClusterCheck;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.lifecycle.Closer;
import io.sluice.common.lifecycle.Futures;
import io.sluice.stack.FreePorts;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackEndpoints;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Kafka (KRaft, one node), the schema registry and PostgreSQL as containers, started through
 * Testcontainers: the stack of {@code docker-compose.yml}, for the tests. The broker listens on a
 * fixed host port it also advertises, and keeps its log directory in a host directory, so a fault test
 * can kill its container and start a new one over the same data ({@link #restartKafka}).
 */
public final class ContainersStack implements AutoCloseable {

    /** Fixed: a restarted broker must find its own formatted log directory. */
    private static final String CLUSTER_ID = "N61fWmaBTZO8EimReyxJVg";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(2);

    private final ContainerImages images;
    private final Consumer<String> progress;
    private final Closer started = new Closer("stopping the containers stack");
    private final int kafkaPort = FreePorts.next();
    private final Path kafkaData;
    private GenericContainer<?> kafka;
    private GenericContainer<?> registry;
    private GenericContainer<?> postgres;

    private ContainersStack(ContainerImages images, Consumer<String> progress) {
        this.images = images;
        this.progress = progress;
        try {
            kafkaData = Files.createTempDirectory("sluice-kafka-data-");
            // The official image runs as an unprivileged user; ours as root.
            Files.setPosixFilePermissions(kafkaData, PosixFilePermissions.fromString("rwxrwxrwx"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails at once, saying so, when no Docker daemon answers. */
    public static ContainersStack start(ContainerImages images, Consumer<String> progress) {
        if (!DockerClientFactory.instance().isDockerAvailable()) {
            throw new IllegalStateException("SLUICE_TEST_STACK=containers, but no Docker daemon answers (DOCKER_HOST="
                    + System.getenv().getOrDefault("DOCKER_HOST", "unset, so /var/run/docker.sock")
                    + "). Start dockerd, or unset SLUICE_TEST_STACK to use the embedded stack.");
        }
        ContainersStack stack = new ContainersStack(images, progress);
        // The registry boots for ~20 s: start it and PostgreSQL beside the broker, each on a thread of its
        // own (the common pool has one worker on two cores, which would start them one after the other).
        try (ExecutorService starters = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<GenericContainer<?>> registry = CompletableFuture.supplyAsync(stack::startRegistry, starters);
            CompletableFuture<GenericContainer<?>> postgres = CompletableFuture.supplyAsync(stack::startPostgres, starters);
            stack.startKafka();
            stack.registry = Futures.join(registry);
            stack.postgres = Futures.join(postgres);
            return stack;
        } catch (RuntimeException e) {
            stack.started.closeAfter(e);
            throw e;
        }
    }

    public StackEndpoints endpoints() {
        String bootstrap = bootstrapServers();
        String registryUrl = "http://" + registry.getHost() + ":" + registry.getMappedPort(8080) + "/apis/ccompat/v7";
        PostgresEndpoint pg = new PostgresEndpoint("jdbc:postgresql://" + postgres.getHost() + ":"
                + postgres.getMappedPort(5432) + "/postgres", "postgres", null);
        return new StackEndpoints(bootstrap, registryUrl, pg);
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + kafkaPort;
    }

    /**
     * SIGKILLs the broker's container, waits {@code down}, and starts a new one over the same log
     * directory and port. Down longer than the clients' session timeout, the broker drops their
     * group members when it is back, so their transactional producers are fenced on rejoining.
     */
    public void restartKafka(Duration down) throws InterruptedException {
        progress.accept("killing the Kafka container " + kafka.getContainerId() + "; starting a new one in " + down);
        DockerClientFactory.instance().client().killContainerCmd(kafka.getContainerId()).withSignal("KILL").exec();
        kafka.stop();
        Thread.sleep(down.toMillis());
        startKafka();
    }

    /** {@code docker pause}s PostgreSQL for {@code duration}: connections hang rather than fail. */
    public void pausePostgres(Duration duration) throws InterruptedException {
        var docker = DockerClientFactory.instance().client();
        docker.pauseContainerCmd(postgres.getContainerId()).exec();
        try {
            Thread.sleep(duration.toMillis());
        } finally {
            docker.unpauseContainerCmd(postgres.getContainerId()).exec();
        }
    }

    private GenericContainer<?> startPostgres() {
        progress.accept("starting PostgreSQL from " + images.postgres());
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(images.postgres()))
                .withEnv("POSTGRES_HOST_AUTH_METHOD", "trust")
                .withCommand("-c", "fsync=off", "-c", "max_connections=300")
                .withExposedPorts(5432)
                .waitingFor(Wait.forListeningPort().withStartupTimeout(START_TIMEOUT));
        started.push(c::stop);
        c.start();
        awaitPostgres("jdbc:postgresql://" + c.getHost() + ":" + c.getMappedPort(5432) + "/postgres");
        return c;
    }

    private GenericContainer<?> startRegistry() {
        progress.accept("starting the schema registry from " + images.registry());
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(images.registry()))
                .withEnv("APICURIO_RULES_GLOBAL_COMPATIBILITY", "BACKWARD")
                .withExposedPorts(8080)
                .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects").forStatusCode(200).withStartupTimeout(START_TIMEOUT));
        started.push(c::stop);
        c.start();
        return c;
    }

    private void startKafka() {
        progress.accept("starting Kafka from " + images.kafka() + " on 127.0.0.1:" + kafkaPort);
        GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(images.kafka()))
                .withEnv("CLUSTER_ID", CLUSTER_ID)
                .withEnv("KAFKA_NODE_ID", "1")
                .withEnv("KAFKA_PROCESS_ROLES", "broker,controller")
                .withEnv("KAFKA_CONTROLLER_QUORUM_VOTERS", "1@localhost:9093")
                .withEnv("KAFKA_CONTROLLER_LISTENER_NAMES", "CONTROLLER")
                // The host reaches the broker on the same port number it advertises.
                .withEnv("KAFKA_LISTENERS", "HOST://:" + kafkaPort + ",CONTROLLER://:9093")
                .withEnv("KAFKA_ADVERTISED_LISTENERS", "HOST://127.0.0.1:" + kafkaPort)
                .withEnv("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP", "HOST:PLAINTEXT,CONTROLLER:PLAINTEXT")
                .withEnv("KAFKA_INTER_BROKER_LISTENER_NAME", "HOST")
                .withEnv("KAFKA_LOG_DIRS", "/var/lib/kafka/data")
                .withEnv("KAFKA_NUM_PARTITIONS", "4")
                .withEnv("KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS", "5")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", "1")
                .withEnv("KAFKA_TRANSACTION_STATE_LOG_NUM_PARTITIONS", "5")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_REPLICATION_FACTOR", "1")
                .withEnv("KAFKA_SHARE_COORDINATOR_STATE_TOPIC_MIN_ISR", "1")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0")
                // The embedded broker's takeover settings (see EmbeddedKafkaBroker), so tests behave alike.
                .withEnv("KAFKA_GROUP_CONSUMER_MIN_SESSION_TIMEOUT_MS", "6000")
                .withEnv("KAFKA_GROUP_CONSUMER_SESSION_TIMEOUT_MS", "6000")
                .withEnv("KAFKA_GROUP_CONSUMER_MIN_HEARTBEAT_INTERVAL_MS", "1000")
                .withEnv("KAFKA_GROUP_CONSUMER_HEARTBEAT_INTERVAL_MS", "1000")
                .withEnv("KAFKA_TRANSACTION_ABORT_TIMED_OUT_TRANSACTION_CLEANUP_INTERVAL_MS", "1000")
                .withFileSystemBind(kafkaData.toString(), "/var/lib/kafka/data")
                .withCreateContainerCmdModifier(cmd -> {
                    ExposedPort port = ExposedPort.tcp(kafkaPort);
                    cmd.withExposedPorts(port);
                    cmd.getHostConfig().withPortBindings(new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", kafkaPort), port));
                });
        c.start();
        // Pushed once; closing stops whichever broker container is the current one.
        if (kafka == null) started.push(() -> kafka.stop());
        kafka = c;
        ClusterCheck.verify(ConnectionSettings.plaintext(bootstrapServers(), null), START_TIMEOUT);
    }


    private static void awaitPostgres(String url) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            try (Connection c = DriverManager.getConnection(url, "postgres", null)) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) throw new IllegalStateException("PostgreSQL did not answer at " + url, e);
                try {
                    Thread.sleep(250);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", ie);
                }
            }
        }
    }

    @Override
    public void close() {
        started.close();
    }
}

package io.sluice.stack.kafka;

import io.sluice.stack.FreePorts;
import io.sluice.stack.StackException;
import io.sluice.stack.TempDirs;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool$;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka cluster (broker and KRaft controller in one process role set) running
 * in this JVM from Kafka's production classes: the log dir is formatted with Kafka's storage tool,
 * then {@link KafkaRaftServer} starts on free loopback ports. Data lives in a temp dir removed at
 * close. With {@link BrokerOptions} it also listens with {@code SASL_SSL} (SCRAM-SHA-512) and, for mutual
 * TLS, {@code SSL}; each listener advertises only itself, so a client bootstrapped on a secured listener
 * talks to the broker through it alone.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final Path logDir;
    private final boolean keepLogDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;
    private final String saslSslBootstrapServers;
    private final String sslBootstrapServers;

    private EmbeddedKafkaBroker(Path logDir, boolean keepLogDir, KafkaRaftServer server, String bootstrapServers,
                                String saslSslBootstrapServers, String sslBootstrapServers) {
        this.logDir = logDir;
        this.keepLogDir = keepLogDir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
        this.saslSslBootstrapServers = saslSslBootstrapServers;
        this.sslBootstrapServers = sslBootstrapServers;
    }

    /** A broker with only the plaintext listener. */
    public static EmbeddedKafkaBroker start() {
        return start(BrokerOptions.plaintext());
    }

    public static EmbeddedKafkaBroker start(BrokerOptions options) {
        Path logDir = TempDirs.create("sluice-kafka-");
        try {
            Listeners listeners = new Listeners(FreePorts.next(), FreePorts.next(),
                    options.saslSsl() ? FreePorts.next() : 0, options.mutualTls() ? FreePorts.next() : 0);
            Properties props = brokerProperties(logDir, listeners);
            SecuredListeners.configure(props, options);
            format(logDir, props, SecuredListeners.scramArguments(options));
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + listeners.plaintext();
            awaitReady(bootstrap);
            return new EmbeddedKafkaBroker(logDir, false, server, bootstrap, address(listeners.saslSsl()), address(listeners.ssl()));
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(logDir);
            throw e;
        }
    }

    /**
     * A plaintext broker over {@code logDir} on fixed ports that keeps its data at close, so another
     * broker started over the same directory and ports (a restart: the fault tests run it in a process
     * of its own) finds its topics, offsets and transactions. The directory is formatted only the first time.
     */
    public static EmbeddedKafkaBroker startPersistent(Path logDir, int plaintextPort, int controllerPort) {
        Listeners listeners = new Listeners(plaintextPort, controllerPort, 0, 0);
        Properties props = brokerProperties(logDir, listeners);
        if (!Files.exists(logDir.resolve("meta.properties"))) {
            format(logDir, props, List.of());
        }
        KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
        server.startup();
        String bootstrap = "127.0.0.1:" + plaintextPort;
        awaitReady(bootstrap);
        return new EmbeddedKafkaBroker(logDir, true, server, bootstrap, null, null);
    }

    /** The plaintext listener, which every broker has. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The {@code SASL_SSL} (SCRAM-SHA-512) listener; only when started with one. */
    public String saslSslBootstrapServers() {
        if (saslSslBootstrapServers == null) throw new IllegalStateException("this broker has no SASL_SSL listener");
        return saslSslBootstrapServers;
    }

    /** The {@code SSL} listener requiring a client certificate; only when started with mutual TLS. */
    public String sslBootstrapServers() {
        if (sslBootstrapServers == null) throw new IllegalStateException("this broker has no SSL (mutual TLS) listener");
        return sslBootstrapServers;
    }

    private static String address(int port) {
        return port == 0 ? null : "127.0.0.1:" + port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (!keepLogDir) TempDirs.deleteRecursively(logDir);
    }

    /** Ports of the listeners; 0 for one the broker does not have. */
    record Listeners(int plaintext, int controller, int saslSsl, int ssl) {
    }

    private static Properties brokerProperties(Path logDir, Listeners ports) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + ports.controller());
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + ports.plaintext() + ",CONTROLLER://127.0.0.1:" + ports.controller());
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + ports.plaintext());
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        SecuredListeners.addListener(p, "SASL_SSL", ports.saslSsl());
        SecuredListeners.addListener(p, "SSL", ports.ssl());
        p.put("log.dirs", logDir.toString());
        // One node: every internal topic has one replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("default.replication.factor", "1");
        p.put("num.partitions", "4");
        // Tests and the demo start consumers right away: no reason to wait for more members.
        p.put("group.initial.rebalance.delay.ms", "0");
        // Takeover in seconds: a member of a consumer-protocol group (KIP-848) that is killed loses its
        // partitions after this broker-side session timeout (default 45 s, which a real cluster's
        // operator lowers the same way); heartbeats every second tell the others their new
        // assignment. Streams applications (classic protocol) set 6 s themselves, which the default
        // group.min.session.timeout.ms (6 s) allows.
        p.put("group.consumer.min.session.timeout.ms", "6000");
        p.put("group.consumer.session.timeout.ms", "6000");
        p.put("group.consumer.min.heartbeat.interval.ms", "1000");
        p.put("group.consumer.heartbeat.interval.ms", "1000");
        // A killed transactional producer's open transaction holds back read_committed readers until
        // the coordinator aborts it: look for timed-out transactions every second, not every 10 s.
        p.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
        p.put("auto.create.topics.enable", "true");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return p;
    }

    /** Formats the log dir exactly as {@code kafka-storage.sh format} does. */
    private static void format(Path logDir, Properties props, List<String> extraArguments) {
        Path configFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
        try {
            try (Writer w = Files.newBufferedWriter(configFile)) {
                props.store(w, "sluice embedded broker");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            List<String> args = new ArrayList<>(List.of(
                    "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", configFile.toString()));
            args.addAll(extraArguments);
            int code = StorageTool$.MODULE$.execute(args.toArray(String[]::new),
                    new PrintStream(out, true, StandardCharsets.UTF_8));
            if (code != 0) {
                throw new StackException("kafka-storage format failed: " + out.toString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(configFile);
            } catch (IOException ignored) {
                // a leftover properties file in /tmp is harmless
            }
        }
    }

    private static void awaitReady(String bootstrap) {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.describeCluster().nodes().get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) Thread.currentThread().interrupt();
            throw new StackException("the embedded Kafka broker did not become ready at " + bootstrap, e);
        }
    }

}

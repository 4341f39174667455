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
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Kafka cluster (broker and KRaft controller in one process role set) running
 * in this JVM from Kafka's production classes: the log dir is formatted with Kafka's storage tool,
 * then {@link KafkaRaftServer} starts on free loopback ports. Data lives in a temp dir removed at
 * close.
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {

    private final Path logDir;
    private final KafkaRaftServer server;
    private final String bootstrapServers;

    private EmbeddedKafkaBroker(Path logDir, KafkaRaftServer server, String bootstrapServers) {
        this.logDir = logDir;
        this.server = server;
        this.bootstrapServers = bootstrapServers;
    }

    public static EmbeddedKafkaBroker start() {
        Path logDir = TempDirs.create("sluice-kafka-");
        try {
            int brokerPort = FreePorts.next();
            int controllerPort = FreePorts.next();
            Properties props = brokerProperties(logDir, brokerPort, controllerPort);
            format(logDir, props);
            KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props), Time.SYSTEM);
            server.startup();
            String bootstrap = "127.0.0.1:" + brokerPort;
            awaitReady(bootstrap);
            return new EmbeddedKafkaBroker(logDir, server, bootstrap);
        } catch (RuntimeException e) {
            TempDirs.deleteRecursively(logDir);
            throw e;
        }
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        TempDirs.deleteRecursively(logDir);
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
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
        p.put("auto.create.topics.enable", "true");
        p.put("log.flush.interval.messages", String.valueOf(Long.MAX_VALUE));
        return p;
    }

    /** Formats the log dir exactly as {@code kafka-storage.sh format} does. */
    private static void format(Path logDir, Properties props) {
        Path configFile = logDir.resolveSibling(logDir.getFileName() + ".properties");
        try {
            try (Writer w = Files.newBufferedWriter(configFile)) {
                props.store(w, "sluice embedded broker");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = StorageTool$.MODULE$.execute(new String[]{
                    "format", "--cluster-id", Uuid.randomUuid().toString(), "--config", configFile.toString()},
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

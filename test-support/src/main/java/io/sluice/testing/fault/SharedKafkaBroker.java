package io.sluice.testing.fault;

import io.sluice.stack.TempDirs;
import io.sluice.stack.fault.KafkaBrokerProcess;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One {@link KafkaBrokerProcess} for every fault test of this JVM (failsafe runs test classes one after
 * another), started at the first call, killed and its directory removed when the JVM exits: a broker
 * start costs seconds a test class need not pay again. A test that stops it starts it again before it
 * ends. Its output goes to the module's {@code target/fault-broker.log}, which outlives the run.
 */
public final class SharedKafkaBroker {

    private static KafkaBrokerProcess shared;

    private SharedKafkaBroker() {
    }

    public static synchronized KafkaBrokerProcess get() throws IOException, InterruptedException {
        if (shared == null) {
            Path dir = TempDirs.create("sluice-fault-kafka-");
            Path log = Files.createDirectories(Path.of("target")).resolve("fault-broker.log");
            Files.deleteIfExists(log);
            KafkaBrokerProcess broker = KafkaBrokerProcess.start(dir, log);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    broker.close();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                TempDirs.deleteRecursively(dir);
            }, "kafka-broker-process-kill"));
            shared = broker;
        }
        if (!shared.isAlive()) shared.restart(); // a test that stopped it failed before starting it again
        return shared;
    }
}

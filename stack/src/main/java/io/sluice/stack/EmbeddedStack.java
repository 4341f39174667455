package io.sluice.stack;

import io.sluice.common.client.ClusterCheck;
import io.sluice.common.client.ConnectionSettings;
import io.sluice.common.client.RegistrySettings;
import io.sluice.common.lifecycle.Closer;
import io.sluice.common.lifecycle.Futures;
import io.sluice.stack.kafka.EmbeddedKafkaBroker;
import io.sluice.stack.postgres.PostgresLocator;
import io.sluice.stack.registry.ApicurioRegistryProcess;

import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The embedded stack used by {@code sluice stack}, {@code sluice demo} and the tests: a KRaft broker
 * in this JVM, Apicurio Registry as a child process and a PostgreSQL server, each replaced by an
 * external service when its {@code SLUICE_*} variable is set (or the command's connection options name
 * it). A given broker is checked first ({@link ClusterCheck}), so that a wrong password or address fails
 * before anything starts. Closing it stops what it started, in reverse order.
 */
public final class EmbeddedStack implements AutoCloseable {

    private final StackEndpoints endpoints;
    private final Closer started;

    private EmbeddedStack(StackEndpoints endpoints, Closer started) {
        this.endpoints = endpoints;
        this.started = started;
    }

    /** Starts the stack configured by the {@code SLUICE_*} environment variables. */
    public static EmbeddedStack start() {
        return start(StackConfig.fromEnvironment());
    }

    public static EmbeddedStack start(StackConfig config) {
        // Before starting anything: a wrong password fails in seconds, not after the registry has booted.
        config.kafkaBootstrap().ifPresent(bootstrap ->
                ClusterCheck.verify(new ConnectionSettings(bootstrap, config.clientProperties(), null)));
        Closer started = new Closer("stopping the stack");
        try {
            // The registry is a separate JVM that takes seconds to boot: start it while the broker starts.
            CompletableFuture<ApicurioRegistryProcess> registry = config.registryUrl().isPresent()
                    ? CompletableFuture.completedFuture(null)
                    : CompletableFuture.supplyAsync(() -> ApicurioRegistryProcess.start(config.progress()));

            PostgresLocator.Located pg = PostgresLocator.locate(config.pgUrl(), config.progress());
            pg.cluster().ifPresent(started::push);

            String bootstrap;
            if (config.kafkaBootstrap().isPresent()) {
                bootstrap = config.kafkaBootstrap().get();
            } else {
                config.progress().accept("starting the embedded Kafka broker (KRaft)");
                EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                started.push(broker);
                bootstrap = broker.bootstrapServers();
            }

            String registryUrl;
            if (config.registryUrl().isPresent()) {
                registryUrl = config.registryUrl().get();
            } else {
                ApicurioRegistryProcess process = Futures.join(registry);
                started.push(process);
                registryUrl = process.ccompatUrl();
            }
            config.progress().accept("stack ready");
            return new EmbeddedStack(new StackEndpoints(bootstrap, registryUrl, pg.endpoint(),
                    connection(config, bootstrap, registryUrl)), started);
        } catch (RuntimeException e) {
            started.closeAfter(e);
            throw e;
        }
    }

    public StackEndpoints endpoints() {
        return endpoints;
    }

    @Override
    public void close() {
        started.close();
    }


    /** The given services' client and registry properties; the embedded ones are plaintext. */
    private static ConnectionSettings connection(StackConfig config, String bootstrap, String registryUrl) {
        Map<String, String> client = config.kafkaBootstrap().isPresent() ? config.clientProperties() : Map.of();
        Map<String, String> registry = config.registryUrl().isPresent() ? config.registryProperties() : Map.of();
        return new ConnectionSettings(bootstrap, client, new RegistrySettings(registryUrl, registry));
    }

}

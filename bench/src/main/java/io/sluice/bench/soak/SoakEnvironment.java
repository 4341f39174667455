package io.sluice.bench.soak;

import io.sluice.stack.PostgresEndpoint;

import java.nio.file.Path;

/**
 * What every workload of a soak shares: the broker (in a process of its own), the registry, PostgreSQL
 * directly (for the checks) and through the proxy the faults cut (for the components), a run id that
 * makes names unique, a scratch directory and the directory of the components' logs.
 */
record SoakEnvironment(String bootstrapServers, String registryUrl, PostgresEndpoint postgres, PostgresEndpoint proxied,
                       String runId, Path dir, Path logs) {
}

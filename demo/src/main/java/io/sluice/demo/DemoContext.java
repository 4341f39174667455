package io.sluice.demo;

import io.sluice.stack.StackEndpoints;

import java.nio.file.Path;

/**
 * What every workload of a run shares.
 *
 * @param stack    the Kafka broker, registry and PostgreSQL server
 * @param db       the run's database
 * @param names    the run's topic, group and application id names
 * @param settings the run's sizes
 * @param stateDir local state below it (the Streams apps' state, the fetcher's spill files); deleted after the run
 * @param rateLimits where the backfill shows its rate limiter to the monitor page
 */
public record DemoContext(StackEndpoints stack, DemoDatabase db, DemoNames names, DemoSettings settings, Path stateDir,
                          DemoRateLimits rateLimits) {
}

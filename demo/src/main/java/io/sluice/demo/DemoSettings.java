package io.sluice.demo;

import java.time.Duration;

/**
 * The sizes of one demo run, validated once.
 *
 * @param dids        DIDs to backfill, spread over {@code hosts} simulated PDS hosts
 * @param hosts       simulated PDS hosts
 * @param users       users the ETL generator creates, one change event each
 * @param dcbAppends  conditional appends sent to the DCB store's HTTP API
 * @param dcbClients  concurrent HTTP clients sending them
 * @param sequential  run the workloads one after another instead of all at once
 * @param timeout     how long each workload may take before the demo gives up on it
 */
public record DemoSettings(int dids, int hosts, int users, int dcbAppends, int dcbClients, boolean sequential,
                           Duration timeout) {

    public DemoSettings {
        positive(dids, "dids");
        positive(hosts, "hosts");
        positive(users, "users");
        positive(dcbAppends, "dcb appends");
        positive(dcbClients, "dcb clients");
        if (hosts > dids) throw new IllegalArgumentException("hosts (" + hosts + ") must not exceed dids (" + dids + ")");
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout must be positive, got " + timeout);
        }
    }

    private static void positive(long value, String name) {
        if (value < 1) throw new IllegalArgumentException(name + " must be at least 1, got " + value);
    }
}

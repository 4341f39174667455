package io.sluice.bench.backfill;

import java.util.OptionalInt;

/**
 * What {@code sluice bench backfill} runs, validated here once.
 *
 * @param dids          simulated accounts, one repository each
 * @param hosts         virtual PDS hosts the DIDs are spread over
 * @param hostLimit     requests per second per host that the simulator enforces and the limiter is set
 *                      to; empty: no limit binding (both far above what either run can reach)
 * @param bigRepoMb     when positive, one DID's repository is about this many MiB (the heap run)
 * @param minRecords    fewest records per repository
 * @param maxRecords    most records per repository (uniform in between)
 * @param seed          simulator seed
 * @param partitions    partitions of every backfill topic
 * @param skipBaseline  run sluice only
 * @param rounds        runs of each path, the order alternating (sluice first in odd rounds, the baseline
 *                      in even ones); the last run of each is the measured one, so from 2 rounds on both
 *                      paths are measured warm (JIT, connections, the simulator's cache) and neither
 *                      always runs first
 */
public record BackfillBenchSettings(int dids, int hosts, OptionalInt hostLimit, int bigRepoMb, int minRecords, int maxRecords,
                                    long seed, int partitions, boolean skipBaseline, int rounds) {

    /** One round: each path once, sluice first. */
    public BackfillBenchSettings(int dids, int hosts, OptionalInt hostLimit, int bigRepoMb, int minRecords, int maxRecords,
                                 long seed, int partitions, boolean skipBaseline) {
        this(dids, hosts, hostLimit, bigRepoMb, minRecords, maxRecords, seed, partitions, skipBaseline, 1);
    }

    public BackfillBenchSettings {
        if (dids < 1) throw new IllegalArgumentException("--dids must be >= 1, got " + dids);
        if (hosts < 1 || hosts > dids) throw new IllegalArgumentException("--hosts must be 1..dids, got " + hosts);
        if (hostLimit.isPresent() && hostLimit.getAsInt() < 1) {
            throw new IllegalArgumentException("--host-limit must allow at least 1 request per second");
        }
        if (bigRepoMb < 0 || bigRepoMb > 250) throw new IllegalArgumentException("--big-repo-mb must be 0..250, got " + bigRepoMb);
        if (minRecords < 1 || maxRecords < minRecords) {
            throw new IllegalArgumentException("--records must be MIN..MAX with 1 <= MIN <= MAX, got " + minRecords + ".." + maxRecords);
        }
        if (partitions < 1) throw new IllegalArgumentException("--partitions must be >= 1, got " + partitions);
        if (rounds < 1) throw new IllegalArgumentException("--rounds must be >= 1, got " + rounds);
    }
}

package io.sluice.bench.etl;

import java.time.Duration;

/**
 * The knobs of one ETL benchmark, validated once. The defaults are the measured best on a 2-core
 * machine (see the bench's --help and the issue note); every one can be changed from the command line.
 *
 * @param users            users created, one change event each
 * @param seed             generator seed
 * @param warmups          unmeasured runs of both paths first, in the same JVM (JIT, caches, connections)
 * @param partitions       partitions of cdc.&lt;db&gt;.users and etl.user-rows
 * @param flattenerThreads stream threads of the flattener
 * @param commitInterval   the flattener's commit.interval.ms: how often its transactions commit, so how
 *                         soon the sink (read_committed) sees a bundle
 * @param sinkInstances    ETL sink instances in one consumer group, each with its own PostgreSQL connection
 * @param sinkBatch        bundles per sink transaction
 * @param sinkFlush        the sink's flush interval: a partly full batch is written after this long
 */
public record EtlBenchSettings(int users, long seed, int warmups, int partitions, int flattenerThreads,
                               Duration commitInterval, int sinkInstances, int sinkBatch, Duration sinkFlush) {

    public EtlBenchSettings {
        positive(users, "users");
        if (warmups < 0) throw new IllegalArgumentException("warmup must be >= 0, got " + warmups);
        positive(partitions, "partitions");
        positive(flattenerThreads, "flattener threads");
        positive(sinkInstances, "sink instances");
        positive(sinkBatch, "sink batch");
        if (commitInterval.isNegative() || commitInterval.isZero()) throw new IllegalArgumentException("commit interval must be > 0");
        if (sinkFlush.isNegative() || sinkFlush.isZero()) throw new IllegalArgumentException("sink flush must be > 0");
        if (sinkInstances > partitions) {
            throw new IllegalArgumentException("sink instances (" + sinkInstances + ") above partitions (" + partitions
                    + ") would idle");
        }
    }

    private static void positive(long value, String name) {
        if (value < 1) throw new IllegalArgumentException(name + " must be >= 1, got " + value);
    }
}

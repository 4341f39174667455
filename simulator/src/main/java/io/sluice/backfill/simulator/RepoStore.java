package io.sluice.backfill.simulator;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.IntStream;

/**
 * Where {@code getRepo} bodies and expectations come from: generates each simulated repository on
 * demand and keeps its CAR in an LRU cache bounded by bytes, and its {@link ExpectedRepo} (a few
 * hundred bytes) for good, so a repository is generated at most once per eviction. The big
 * repository, if configured, is never cached: only its first-pass summary is kept and its bytes
 * are regenerated per request. Thread-safe; two concurrent misses on one DID may both generate
 * it, which is harmless because generation is deterministic.
 */
final class RepoStore {

    /** Records in the sample the big repository's record count is calibrated on. */
    private static final int CALIBRATION_RECORDS = 20_000;

    private final PdsSimulatorConfig config;
    private final Population population;
    private final RepoGenerator generator;
    private final Lru cache;
    private final Map<Integer, ExpectedRepo> expected = new ConcurrentHashMap<>();
    /** Per account, commits since generation that changed no record ({@link #commit}). */
    private final Map<Integer, Long> laterCommits = new ConcurrentHashMap<>();
    private volatile RepoGenerator.Streamed big;

    RepoStore(PdsSimulatorConfig config, Population population) {
        this.config = config;
        this.population = population;
        this.generator = new RepoGenerator(config.seed(), population);
        this.cache = new Lru(config.cacheBytes());
    }

    /** The {@code getRepo} body of account {@code index}. */
    RepoBody body(int index) {
        if (isBig(index)) {
            return big();
        }
        byte[] car = cache.get(index);
        if (car == null) {
            car = generate(index).car();
        }
        return new RepoBody.InMemory(car);
    }

    ExpectedRepo expected(int index) {
        if (isBig(index)) {
            return big().expected();
        }
        ExpectedRepo known = expected.get(index);
        if (known == null) {
            generate(index);
            known = expected.get(index);
        }
        return known;
    }

    /**
     * Account {@code index} commits without changing a record: from now on its repository has a later
     * revision (and commit), the same records. Not for the big repository.
     */
    void commit(int index) {
        if (isBig(index)) throw new IllegalArgumentException("the big repository cannot commit");
        laterCommits.merge(index, 1L, Long::sum);
        cache.remove(index);
        expected.remove(index);
    }

    /** Every repository's expectation summed; generates (in parallel) whatever was not generated yet. */
    ExpectedTotal total() {
        ExpectedRepo[] all = IntStream.range(0, population.size()).parallel().mapToObj(this::expected)
                .toArray(ExpectedRepo[]::new);
        RecordChecksum sum = new RecordChecksum();
        Map<String, Long> collections = new TreeMap<>();
        long bytes = 0;
        for (ExpectedRepo repo : all) {
            sum.merge(repo.checksumValue(), repo.records());
            repo.collections().forEach((c, n) -> collections.merge(c, n, Long::sum));
            bytes += repo.carBytes();
        }
        return new ExpectedTotal(all.length, sum.count(), collections, sum.hex(), bytes);
    }

    long cachedBytes() {
        return cache.bytes();
    }

    private RepoGenerator.Generated generate(int index) {
        long records = config.records().draw(new SplittableRandom(Seeds.of(config.seed(), index, -1)));
        boolean firstTime = !expected.containsKey(index); // after an eviction, the expectation is already known
        RepoGenerator.Generated generated = generator.inMemory(index, records, firstTime, laterCommits.getOrDefault(index, 0L));
        if (generated.expected() != null) {
            expected.putIfAbsent(index, generated.expected());
        }
        cache.put(index, generated.car());
        return generated;
    }

    private boolean isBig(int index) {
        return index == 0 && config.bigRepoBytes() > 0;
    }

    /** Lazily: the first pass over 200 MB takes seconds, and most simulations never ask. */
    private RepoGenerator.Streamed big() {
        RepoGenerator.Streamed b = big;
        if (b == null) {
            synchronized (this) {
                b = big;
                if (b == null) {
                    long sampleBytes = generator.inMemory(0, CALIBRATION_RECORDS, false).car().length;
                    long records = Math.max(1, Math.round((double) config.bigRepoBytes() * CALIBRATION_RECORDS / sampleBytes));
                    b = generator.streamed(0, records);
                    big = b;
                }
            }
        }
        return b;
    }

    /** CARs by account index, least recently used evicted first once over {@code maxBytes}. */
    private static final class Lru {
        private final long maxBytes;
        private final LinkedHashMap<Integer, byte[]> map = new LinkedHashMap<>(256, 0.75f, true);
        private long bytes;

        Lru(long maxBytes) {
            this.maxBytes = maxBytes;
        }

        synchronized byte[] get(int index) {
            return map.get(index);
        }

        synchronized void put(int index, byte[] car) {
            if (car.length > maxBytes / 4) {
                return; // one repository must not flush the whole cache
            }
            byte[] old = map.put(index, car);
            bytes += car.length - (old == null ? 0 : old.length);
            var eldest = map.entrySet().iterator();
            while (bytes > maxBytes && eldest.hasNext()) {
                bytes -= eldest.next().getValue().length;
                eldest.remove();
            }
        }

        synchronized void remove(int index) {
            byte[] old = map.remove(index);
            if (old != null) bytes -= old.length;
        }

        synchronized long bytes() {
            return bytes;
        }
    }
}

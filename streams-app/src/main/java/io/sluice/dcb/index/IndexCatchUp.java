package io.sluice.dcb.index;

import io.sluice.dcb.query.StoredEvent;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Brings the derived {@code dcb-index} store up to date with the log when a decider task starts.
 * The index is written without a changelog, in one atomic batch per append ending with its
 * watermark, so what survives of it is always the index of a prefix of some log:
 * <ul>
 *   <li>watermark = last position: up to date (a clean restart);</li>
 *   <li>watermark &lt; last position: behind (a fresh or lost local store, an in-memory store, a
 *       crash): index the missing events from the log;</li>
 *   <li>watermark &gt; last position: it indexed appends that were rolled back: clear it and
 *       index the whole log.</li>
 * </ul>
 * Exactly-once keeps the log itself ({@code events} and {@code sequence}) consistent: both are
 * changelogged and restored to the last committed transaction before this runs.
 */
final class IndexCatchUp {

    private static final Logger log = LoggerFactory.getLogger(IndexCatchUp.class);
    private static final int BATCH = 10_000;

    private IndexCatchUp() {
    }

    static void run(EventIndex index) {
        long last = index.lastPosition();
        long watermark = index.watermark();
        if (watermark == last) return;
        long started = System.nanoTime();
        if (watermark > last) {
            log.warn("dcb-index is ahead of the log (indexed to {}, log ends at {}): re-indexing the whole log", watermark, last);
            clear(index.indexStore());
            index.clearCaches();
            watermark = 0;
        }
        long indexed = indexRange(index, watermark + 1, last);
        log.info("dcb-index caught up from position {} to {}: {} events in {} ms", watermark, last, indexed,
                (System.nanoTime() - started) / 1_000_000);
    }

    private static long indexRange(EventIndex index, long from, long to) {
        long count = 0;
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
        long position = from - 1;
        try (KeyValueIterator<Long, byte[]> events = index.eventStore().range(from, to)) {
            while (events.hasNext()) {
                KeyValue<Long, byte[]> next = events.next();
                StoredEvent event = EventCodec.decode(next.key, next.value);
                position = event.position();
                index.post(position, event.type(), event.tags(), batch);
                count++;
                if (batch.size() >= BATCH) {
                    index.writeIndex(batch, position);
                    batch = new ArrayList<>();
                }
            }
        }
        index.writeIndex(batch, to);
        return count;
    }

    private static void clear(KeyValueStore<Bytes, byte[]> store) {
        // Keys first, deletes after: not every store lets an open iterator see its own deletes safely.
        List<KeyValue<Bytes, byte[]>> deletes = new ArrayList<>();
        try (KeyValueIterator<Bytes, byte[]> all = store.all()) {
            while (all.hasNext()) deletes.add(KeyValue.pair(all.next().key, null));
        }
        for (int from = 0; from < deletes.size(); from += BATCH) {
            store.putAll(deletes.subList(from, Math.min(deletes.size(), from + BATCH)));
        }
    }
}

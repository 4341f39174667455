package io.sluice.dcb.index;

import io.sluice.dcb.query.Condition;
import io.sluice.dcb.query.NewEvent;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.QueryMatcher;
import io.sluice.dcb.query.StoredEvent;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The decider's view of the log, answering "does any event after position {@code after} match
 * this query?" at a cost that does not grow with the log. Three stores:
 * <ul>
 *   <li>{@code events}: position → type and tags ({@link EventCodec}): the log as far as
 *       conditions care, and the one the index is derived from;</li>
 *   <li>{@code sequence}: the last position given, so positions start at 1 and only increase;</li>
 *   <li>{@code index} ({@link IndexKeys}): a posting per (event, type) and (event, tag), ordered by
 *       position, a {@link Head} per type and tag (newest position, count), and a watermark (the
 *       last position indexed). It is derived data: {@link #open} brings it up to date with the
 *       log, so it needs no changelog of its own.</li>
 * </ul>
 * Per query item, heads answer most checks outright (a required tag or every listed type absent
 * after {@code after}: no match; a single type or tag present: a match). Otherwise one posting
 * list is scanned from {@code after + 1}: the rarest required tag, or the live listed types if
 * those are rarer, checking each candidate's full type and tags. The scan visits only events
 * appended after {@code after} that carry the chosen key, so its cost depends on recent activity,
 * never on the log's length. An append writes each store once ({@code putAll}), whatever the
 * number of events, types and tags.
 *
 * <p>Not thread-safe: one decider task owns it.
 */
public final class EventIndex {

    static final String LAST_POSITION = "last-position";
    /** Postings carry everything in their key; the value is empty (not null, which would delete). */
    private static final byte[] EMPTY = new byte[0];
    private static final int HEAD_CACHE_CAPACITY = 100_000;

    private final KeyValueStore<Bytes, byte[]> index;
    private final KeyValueStore<Long, byte[]> events;
    private final KeyValueStore<String, Long> sequence;
    private final HeadCache typeHeads = new HeadCache(HEAD_CACHE_CAPACITY);
    private final HeadCache tagHeads = new HeadCache(HEAD_CACHE_CAPACITY);

    private EventIndex(KeyValueStore<Bytes, byte[]> index, KeyValueStore<Long, byte[]> events,
                       KeyValueStore<String, Long> sequence) {
        this.index = Objects.requireNonNull(index, "index");
        this.events = Objects.requireNonNull(events, "events");
        this.sequence = Objects.requireNonNull(sequence, "sequence");
    }

    /**
     * The index over these stores, after indexing whatever the log holds beyond the index's
     * watermark (or re-indexing it all when the index is ahead of the log: it saw appends that
     * were rolled back).
     */
    public static EventIndex open(KeyValueStore<Bytes, byte[]> index, KeyValueStore<Long, byte[]> events,
                                  KeyValueStore<String, Long> sequence) {
        EventIndex eventIndex = new EventIndex(index, events, sequence);
        IndexCatchUp.run(eventIndex);
        return eventIndex;
    }

    /** The position of the newest event, 0 before the first append. */
    public long lastPosition() {
        Long last = sequence.get(LAST_POSITION);
        return last == null ? 0 : last;
    }

    /** The position up to which the index store has indexed the log. */
    long watermark() {
        byte[] value = index.get(IndexKeys.watermark());
        return value == null ? 0 : ByteBuffer.wrap(value).getLong();
    }

    /**
     * Stores {@code newEvents} at the next positions, in order, and indexes their types and tags.
     * The caller checks the condition first.
     *
     * @return the position given to the first event; the others follow one by one
     */
    public long append(List<NewEvent> newEvents) {
        long first = lastPosition() + 1;
        long position = first;
        List<KeyValue<Long, byte[]>> stored = new ArrayList<>(newEvents.size());
        List<KeyValue<Bytes, byte[]>> postings = new ArrayList<>(newEvents.size() * 6 + 1);
        for (NewEvent event : newEvents) {
            stored.add(KeyValue.pair(position, EventCodec.encode(event.type(), event.tags())));
            post(position, event.type(), event.tags(), postings);
            position++;
        }
        long last = position - 1;
        events.putAll(stored);
        writeIndex(postings, last);
        sequence.put(LAST_POSITION, last);
        return first;
    }

    /** The type and tags of the event at {@code position}, if there is one. */
    public Optional<StoredEvent> event(long position) {
        byte[] value = events.get(position);
        return value == null ? Optional.empty() : Optional.of(EventCodec.decode(position, value));
    }

    /** True when a stored event makes an append under {@code condition} fail. */
    public boolean isViolated(Condition condition) {
        long after = condition.lowerBoundExclusive();
        long last = lastPosition();
        if (last <= after) return false;
        List<QueryItem> items = condition.failIfEventsMatch().items();
        if (items.isEmpty()) return true;
        for (QueryItem item : items) {
            if (anyMatchAfter(item, after)) return true;
        }
        return false;
    }

    private boolean anyMatchAfter(QueryItem item, long after) {
        if (item.matchesAll()) return true; // isViolated saw an event after `after`
        String rarestTag = null;
        long rarestTagCount = Long.MAX_VALUE;
        for (String tag : item.tags()) {
            Head head = head(IndexKeys.TAG, tag);
            if (!head.hasAfter(after)) return false;
            if (head.count() < rarestTagCount) {
                rarestTag = tag;
                rarestTagCount = head.count();
            }
        }
        if (item.types().isEmpty()) {
            // One tag whose head is past `after` is itself a match; more tags need a scan.
            return item.tags().size() == 1 || scan(item, IndexKeys.TAG, rarestTag, after);
        }
        long liveTypesCount = 0;
        int liveTypes = 0;
        for (String type : item.types()) {
            Head head = head(IndexKeys.TYPE, type);
            if (head.hasAfter(after)) {
                liveTypes++;
                liveTypesCount += head.count();
            }
        }
        if (liveTypes == 0) return false;
        if (item.tags().isEmpty()) return true;
        if (rarestTagCount <= liveTypesCount) return scan(item, IndexKeys.TAG, rarestTag, after);
        for (String type : item.types()) {
            if (head(IndexKeys.TYPE, type).hasAfter(after) && scan(item, IndexKeys.TYPE, type, after)) return true;
        }
        return false;
    }

    /** Walks one key's postings after {@code after}, verifying each candidate against the whole item. */
    private boolean scan(QueryItem item, byte kind, String value, long after) {
        try (KeyValueIterator<Bytes, byte[]> postings =
                     index.range(IndexKeys.posting(kind, value, after + 1), IndexKeys.posting(kind, value, Long.MAX_VALUE))) {
            while (postings.hasNext()) {
                long position = IndexKeys.positionOf(postings.next().key);
                byte[] event = events.get(position);
                if (event == null) {
                    throw new IllegalStateException("dcb index has a posting for position " + position
                            + " but no event is stored there: the index stores are inconsistent");
                }
                StoredEvent candidate = EventCodec.decode(position, event);
                if (QueryMatcher.matches(item, candidate.type(), candidate.tags())) return true;
            }
        }
        return false;
    }

    /** Adds the postings and head updates of one event to {@code batch}; heads update in the cache at once. */
    void post(long position, String type, List<String> tags, List<KeyValue<Bytes, byte[]>> batch) {
        post(IndexKeys.TYPE, type, position, batch);
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            // A tag given twice is indexed once; lists are short, so indexOf beats a set.
            if (tags.indexOf(tag) == i) post(IndexKeys.TAG, tag, position, batch);
        }
    }

    private void post(byte kind, String value, long position, List<KeyValue<Bytes, byte[]>> batch) {
        batch.add(KeyValue.pair(IndexKeys.posting(kind, value, position), EMPTY));
        Head head = head(kind, value).plus(position);
        cache(kind).put(value, head);
        batch.add(KeyValue.pair(IndexKeys.head(kind, value), head.encode()));
    }

    /** Writes {@code batch} and the new watermark in one {@code putAll}: RocksDB applies it atomically. */
    void writeIndex(List<KeyValue<Bytes, byte[]>> batch, long watermark) {
        batch.add(KeyValue.pair(IndexKeys.watermark(), ByteBuffer.allocate(Long.BYTES).putLong(watermark).array()));
        index.putAll(batch);
    }

    KeyValueStore<Bytes, byte[]> indexStore() {
        return index;
    }

    KeyValueStore<Long, byte[]> eventStore() {
        return events;
    }

    void clearCaches() {
        typeHeads.clear();
        tagHeads.clear();
    }

    private Head head(byte kind, String value) {
        HeadCache cache = cache(kind);
        Head head = cache.get(value);
        if (head == null) {
            head = Head.decode(index.get(IndexKeys.head(kind, value)));
            cache.put(value, head);
        }
        return head;
    }

    private HeadCache cache(byte kind) {
        return kind == IndexKeys.TYPE ? typeHeads : tagHeads;
    }
}

package io.sluice.dcb.index;

import io.sluice.dcb.query.Condition;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.QueryMatcher;
import io.sluice.dcb.query.StoredEvent;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The decider's view of the log, kept in three state stores, answering "does any event after
 * position {@code after} match this query?" at a cost that does not grow with the log:
 * <ul>
 *   <li>{@code index} ({@link IndexKeys}): a posting per (event, type) and (event, tag), ordered by
 *       position, and a {@link Head} per type and tag (newest position, count);</li>
 *   <li>{@code events}: position → type and tags ({@link EventCodec}), to verify a candidate;</li>
 *   <li>{@code sequence}: the last position given, so positions start at 1 and only increase.</li>
 * </ul>
 * Per query item, heads answer most checks outright (a required tag or every listed type absent
 * after {@code after}: no match; a single type or tag present: a match). Otherwise one posting
 * list is scanned from {@code after + 1}: the rarest required tag, or the live listed types if
 * those are rarer, checking each candidate's full type and tags. The scan visits only events
 * appended after {@code after} that carry the chosen key, so its cost depends on recent activity,
 * never on the log's length.
 *
 * <p>Not thread-safe: one decider task owns it. Writes become durable with the task's
 * exactly-once commit, together with the events and results they correspond to.
 */
public final class EventIndex {

    static final String LAST_POSITION = "last-position";
    /** Postings carry everything in their key; the value is empty (not null, which would delete). */
    private static final byte[] EMPTY = new byte[0];

    private final KeyValueStore<Bytes, byte[]> index;
    private final KeyValueStore<Long, byte[]> events;
    private final KeyValueStore<String, Long> sequence;

    public EventIndex(KeyValueStore<Bytes, byte[]> index, KeyValueStore<Long, byte[]> events,
                      KeyValueStore<String, Long> sequence) {
        this.index = Objects.requireNonNull(index, "index");
        this.events = Objects.requireNonNull(events, "events");
        this.sequence = Objects.requireNonNull(sequence, "sequence");
    }

    /** The position of the newest event, 0 before the first append. */
    public long lastPosition() {
        Long last = sequence.get(LAST_POSITION);
        return last == null ? 0 : last;
    }

    /**
     * Stores an event at the next position and indexes its type and tags. The caller checks the
     * condition first and appends all of a command's events in one go.
     *
     * @return the position given, one more than the previous
     */
    public long append(String type, List<String> tags) {
        long position = lastPosition() + 1;
        events.put(position, EventCodec.encode(type, tags));
        post(IndexKeys.TYPE, type, position);
        for (int i = 0; i < tags.size(); i++) {
            String tag = tags.get(i);
            // A tag given twice is indexed once; lists are short, so indexOf beats a set.
            if (tags.indexOf(tag) == i) post(IndexKeys.TAG, tag, position);
        }
        sequence.put(LAST_POSITION, position);
        return position;
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
            if (anyMatchAfter(item, after, last)) return true;
        }
        return false;
    }

    private boolean anyMatchAfter(QueryItem item, long after, long last) {
        if (item.matchesAll()) return last > after;
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
                KeyValue<Bytes, byte[]> posting = postings.next();
                long position = IndexKeys.positionOf(posting.key);
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

    private void post(byte kind, String value, long position) {
        index.put(IndexKeys.posting(kind, value, position), EMPTY);
        Bytes headKey = IndexKeys.head(kind, value);
        index.put(headKey, Head.decode(index.get(headKey)).plus(position).encode());
    }

    private Head head(byte kind, String value) {
        return Head.decode(index.get(IndexKeys.head(kind, value)));
    }
}

package io.sluice.dcb.decider;

import io.sluice.dcb.index.EventIndex;
import io.sluice.dcb.query.NewEvent;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Brings the decider's stores up to date from dcb.events before its task decides its first
 * command: the log is the source of truth, the stores a cache of it. Every committed event past
 * the stores' last position is stored and indexed at its own position, and each append in it
 * (consecutive events of one request id) is remembered by request id and, if it had one, by
 * idempotency key. So after a reset that lost the stores (their changelogs deleted) or moved the
 * input back, the commands read again find their appends and are answered with their first
 * result; none is appended twice, no position is given twice.
 *
 * <p>Refuses to go on when the log past the stores does not start at the stores' next position:
 * deciding then would reuse or skip positions.
 */
final class LogCatchUp {

    private static final Logger log = LoggerFactory.getLogger(LogCatchUp.class);

    private LogCatchUp() {
    }

    /** @return the number of events taken from the log */
    static long run(EventLog eventLog, EventIndex index, IdempotencyLog idempotency) {
        long started = System.nanoTime();
        long from = index.lastPosition();
        List<Event> append = new ArrayList<>();
        long[] count = {0};
        eventLog.eventsAfter(from, event -> {
            long expected = index.lastPosition() + append.size() + 1;
            if (event.getPosition() != expected) {
                throw new IllegalStateException("dcb.events holds position " + event.getPosition() + " where the decider's "
                        + "stores expect " + expected + ": the stores and the log disagree, so no command is decided");
            }
            if (!append.isEmpty() && !append.getFirst().getRequestId().equals(event.getRequestId())) {
                store(append, index, idempotency);
                append.clear();
            }
            append.add(event);
            count[0]++;
        });
        if (!append.isEmpty()) store(append, index, idempotency);
        if (count[0] > 0) {
            log.info("decider stores caught up from dcb.events: positions {} to {} ({} events) in {} ms", from + 1,
                    index.lastPosition(), count[0], (System.nanoTime() - started) / 1_000_000);
        }
        return count[0];
    }

    private static void store(List<Event> append, EventIndex index, IdempotencyLog idempotency) {
        List<NewEvent> events = new ArrayList<>(append.size());
        for (Event event : append) events.add(new NewEvent(event.getType(), event.getTags()));
        long first = index.append(events);
        Event head = append.getFirst();
        if (first != head.getPosition()) throw new IllegalStateException("stored at " + first + ", logged at " + head.getPosition());
        AppendResult result = new AppendResult(head.getRequestId(), AppendOutcome.APPENDED, first, first + append.size() - 1,
                null, head.getAppendedAt());
        idempotency.rememberAppended(head.getRequestId(), result);
        String key = head.getIdempotencyKey();
        if (key != null && idempotency.get(key).isEmpty()) {
            idempotency.remember(key, head.getCommandFingerprint() == null ? 0 : head.getCommandFingerprint(), result);
        }
    }
}

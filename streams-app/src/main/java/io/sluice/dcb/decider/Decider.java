package io.sluice.dcb.decider;

import io.sluice.dcb.index.EventIndex;
import io.sluice.dcb.query.Condition;
import io.sluice.dcb.query.NewEvent;
import io.sluice.dcb.rules.DcbLimits;
import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendOutcome;
import io.sluice.schemas.dcb.AppendResult;
import io.sluice.schemas.dcb.Event;
import io.sluice.schemas.dcb.EventData;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides one append command against the index: consumes an {@link AppendCommand}, produces a
 * {@link Decision}: the {@link AppendResult} and, when APPENDED, the events with their positions.
 * In order: an invalid command (over a {@link DcbLimits limit}, or with text PostgreSQL cannot
 * store) is REJECTED; a request id that already appended (a command read again after a replay)
 * and a known idempotency key replay the remembered result
 * (or is REJECTED if it was used for a different append); a violated condition is
 * CONDITION_FAILED; otherwise every event is appended at consecutive positions. Nothing is written
 * to the stores before the decision is known, so a command either changes the stores completely
 * or not at all. Not thread-safe: one per decider task.
 */
final class Decider {

    /** What one command produced: its result and the events to publish (empty unless APPENDED). */
    record Decision(AppendResult result, List<Event> events) {
    }

    private final EventIndex index;
    private final IdempotencyLog idempotency;
    private final DcbLimits limits;

    Decider(EventIndex index, IdempotencyLog idempotency, DcbLimits limits) {
        this.index = Objects.requireNonNull(index, "index");
        this.idempotency = Objects.requireNonNull(idempotency, "idempotency");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    Decision decide(String key, AppendCommand command, Instant now) {
        Optional<String> problem = CommandValidation.problem(key, command, limits);
        if (problem.isPresent()) return rejected(command, problem.get(), now);

        // A command read again (a replay of dcb.commands) whose first reading appended: the log
        // says so (LogCatchUp), and its first result is the answer. A re-read command that did not
        // append is decided again, which appends nothing either: a validation is deterministic,
        // and a condition that failed still fails, because the log only grew since and the event
        // that violated it is still in it.
        Optional<IdempotencyLog.Remembered> reread = idempotency.appendedBy(command.getRequestId());
        if (reread.isPresent()) return new Decision(reread.get().replay(command.getRequestId()), List.of());

        String idempotencyKey = command.getIdempotencyKey();
        long fingerprint = 0;
        if (idempotencyKey != null) {
            fingerprint = CommandFingerprint.of(command);
            Optional<IdempotencyLog.Remembered> earlier = idempotency.get(idempotencyKey);
            if (earlier.isPresent()) {
                if (earlier.get().fingerprint() != fingerprint) {
                    return rejected(command, "idempotency_key '" + idempotencyKey
                            + "' was already used for a different append", now);
                }
                return new Decision(earlier.get().replay(command.getRequestId()), List.of());
            }
        }

        Condition condition = CommandValidation.condition(command);
        Decision decision = condition != null && index.isViolated(condition)
                ? new Decision(result(command, AppendOutcome.CONDITION_FAILED, null, null, null, now), List.of())
                : append(command, fingerprint, now);
        // Rejections are not remembered: nothing was decided against the log, and a client may
        // fix its request and retry under the same key.
        if (idempotencyKey != null) idempotency.remember(idempotencyKey, fingerprint, decision.result());
        if (!decision.events().isEmpty()) idempotency.rememberAppended(command.getRequestId(), decision.result());
        return decision;
    }

    private Decision append(AppendCommand command, long fingerprint, Instant now) {
        List<EventData> data = command.getEvents();
        List<NewEvent> newEvents = new ArrayList<>(data.size());
        for (EventData event : data) newEvents.add(new NewEvent(event.getType(), event.getTags()));
        long first = index.append(newEvents);
        List<Event> events = new ArrayList<>(data.size());
        for (int i = 0; i < data.size(); i++) {
            EventData event = data.get(i);
            events.add(new Event(first + i, event.getType(), event.getTags(), event.getData(), command.getRequestId(), now,
                    command.getIdempotencyKey(), command.getIdempotencyKey() == null ? null : fingerprint));
        }
        long last = first + data.size() - 1;
        return new Decision(result(command, AppendOutcome.APPENDED, first, last, null, now), events);
    }

    private static Decision rejected(AppendCommand command, String error, Instant now) {
        return new Decision(result(command, AppendOutcome.REJECTED, null, null, error, now), List.of());
    }

    private static AppendResult result(AppendCommand command, AppendOutcome outcome, Long first, Long last, String error,
                                       Instant now) {
        return new AppendResult(command.getRequestId(), outcome, first, last, error, now);
    }
}

package io.sluice.dcb.decider;

import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendCondition;
import io.sluice.schemas.dcb.EventData;
import io.sluice.schemas.dcb.Query;
import io.sluice.schemas.dcb.QueryItem;

import java.time.Instant;
import java.util.List;

/** Builds Avro append commands for tests, with the fewest words. */
final class CommandFixtures {

    static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00Z");

    private CommandFixtures() {
    }

    static AppendCommand append(String requestId, EventData... events) {
        return AppendCommand.newBuilder()
                .setRequestId(requestId)
                .setIdempotencyKey(null)
                .setEvents(List.of(events))
                .setCondition(null)
                .setReceivedAt(RECEIVED)
                .build();
    }

    static AppendCommand conditional(String requestId, AppendCondition condition, EventData... events) {
        AppendCommand command = append(requestId, events);
        command.setCondition(condition);
        return command;
    }

    static AppendCommand keyed(AppendCommand command, String idempotencyKey) {
        AppendCommand copy = AppendCommand.newBuilder(command).build();
        copy.setIdempotencyKey(idempotencyKey);
        return copy;
    }

    /** The same command under another request id, as a client retry would send it. */
    static AppendCommand retry(AppendCommand command, String requestId) {
        AppendCommand copy = AppendCommand.newBuilder(command).build();
        copy.setRequestId(requestId);
        return copy;
    }

    static EventData event(String type, String... tags) {
        return new EventData(type, List.of(tags), "{\"n\":1}");
    }

    /** Fail if an event matching any of {@code items} exists after {@code after} (null: at all). */
    static AppendCondition failIf(Long after, QueryItem... items) {
        return new AppendCondition(new Query(List.of(items)), after);
    }

    static QueryItem types(String... types) {
        return new QueryItem(List.of(types), List.of());
    }

    static QueryItem tags(String... tags) {
        return new QueryItem(List.of(), List.of(tags));
    }

    static QueryItem item(List<String> types, List<String> tags) {
        return new QueryItem(types, tags);
    }
}

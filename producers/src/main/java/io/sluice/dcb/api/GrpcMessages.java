package io.sluice.dcb.api;

import io.sluice.dcb.api.JsonBodies.AppendBody;
import io.sluice.dcb.api.JsonBodies.ConditionBody;
import io.sluice.dcb.api.JsonBodies.EventBody;
import io.sluice.dcb.api.JsonBodies.ItemBody;
import io.sluice.dcb.api.JsonBodies.QueryBody;
import io.sluice.dcb.query.Query;
import io.sluice.dcb.rules.DcbLimits;
import io.sluice.grpc.v1.Event;
import io.sluice.grpc.v1.NewEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Between the {@code sluice.v1} messages and the store's own types. A request goes through the
 * same {@link RequestChecks} as an HTTP body (bound into the same shapes), so both fronts accept
 * and refuse the same appends and queries with the same messages. Pure.
 */
final class GrpcMessages {

    private GrpcMessages() {
    }

    /** The checked append; a rule or limit broken is a {@link BadRequestException}. */
    static AppendRequest append(io.sluice.grpc.v1.AppendRequest request, DcbLimits limits) {
        List<EventBody> events = new ArrayList<>(request.getEventsCount());
        for (NewEvent e : request.getEventsList()) events.add(new EventBody(e.getType(), e.getTagsList(), e.getData()));
        ConditionBody condition = request.hasCondition()
                ? new ConditionBody(query(request.getCondition().getFailIfEventsMatch()), request.getCondition().getAfter())
                : null;
        return RequestChecks.append(new AppendBody(events, condition), limits);
    }

    /** The checked query; no items: every event. */
    static Query query(io.sluice.grpc.v1.Query query, DcbLimits limits) {
        return RequestChecks.query(query(query), "query", limits);
    }

    static Event event(EventReader.Row row) {
        return Event.newBuilder().setPosition(row.position()).setType(row.type()).addAllTags(row.tags()).setData(row.data())
                .build();
    }

    private static QueryBody query(io.sluice.grpc.v1.Query query) {
        List<ItemBody> items = new ArrayList<>(query.getItemsCount());
        for (var item : query.getItemsList()) items.add(new ItemBody(item.getTypesList(), item.getTagsList()));
        return new QueryBody(items);
    }
}

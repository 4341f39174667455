package io.sluice.dcb.service.testing;

import io.sluice.grpc.v1.AppendRequest;
import io.sluice.grpc.v1.NewEvent;
import io.sluice.grpc.v1.Query;
import io.sluice.grpc.v1.QueryItem;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The DCB gRPC requests the tests send: events of one tag, a query by tag, command ids. */
public final class GrpcRequests {

    private GrpcRequests() {
    }

    /** A tag no other test uses. */
    public static String tag(String what) {
        return what + ":" + UUID.randomUUID();
    }

    public static Query byTag(String tag) {
        return Query.newBuilder().addItems(QueryItem.newBuilder().addTags(tag)).build();
    }

    /** An append of {@code events} events of type Tested, tagged {@code tag}, with data {@code data-i}. */
    public static AppendRequest append(String id, int events, String tag, String data) {
        AppendRequest.Builder request = AppendRequest.newBuilder().setCommandId(id);
        for (int i = 0; i < events; i++) {
            request.addEvents(NewEvent.newBuilder().setType("Tested").addTags(tag).setData(data + "-" + i));
        }
        return request.build();
    }

    /** {@code tag#0} .. {@code tag#count-1}. */
    public static List<String> ids(String tag, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) ids.add(tag + "#" + i);
        return ids;
    }
}

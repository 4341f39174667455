package io.sluice.dcb.api;

import io.sluice.dcb.query.Query;
import io.sluice.dcb.rules.DcbLimits;
import io.sluice.grpc.v1.AppendCondition;
import io.sluice.grpc.v1.AppendRequest;
import io.sluice.grpc.v1.NewEvent;
import io.sluice.grpc.v1.QueryItem;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** gRPC requests pass the HTTP API's checks: the same rules, the same messages naming the field. */
class GrpcMessagesTest {

    private static final DcbLimits LIMITS = DcbLimits.defaults();

    @Test
    void anAppendBecomesTheCommandsEventsAndCondition() {
        AppendRequest request = AppendRequest.newBuilder()
                .addEvents(NewEvent.newBuilder().setType("Opened").addTags("account:1").setData("{}"))
                .setCondition(AppendCondition.newBuilder().setAfter(7).setFailIfEventsMatch(
                        io.sluice.grpc.v1.Query.newBuilder().addItems(QueryItem.newBuilder().addTags("account:1"))))
                .build();
        io.sluice.dcb.api.AppendRequest checked = GrpcMessages.append(request, LIMITS);
        assertThat(checked.events()).singleElement().satisfies(e -> {
            assertThat(e.getType()).isEqualTo("Opened");
            assertThat(e.getTags()).containsExactly("account:1");
        });
        assertThat(checked.condition().getAfter()).isEqualTo(7);
    }

    @Test
    void noEventsABlankTypeOrTooManyEventsAreRefusedNamingTheField() {
        assertThatThrownBy(() -> GrpcMessages.append(AppendRequest.getDefaultInstance(), LIMITS))
                .isInstanceOf(BadRequestException.class).hasMessageContaining("events must be a non-empty array");
        AppendRequest blank = AppendRequest.newBuilder().addEvents(NewEvent.newBuilder().setType(" ")).build();
        assertThatThrownBy(() -> GrpcMessages.append(blank, LIMITS)).hasMessageContaining("events[0].type");
        AppendRequest.Builder many = AppendRequest.newBuilder();
        for (int i = 0; i <= LIMITS.maxEventsPerAppend(); i++) many.addEvents(NewEvent.newBuilder().setType("T"));
        assertThatThrownBy(() -> GrpcMessages.append(many.build(), LIMITS)).isInstanceOf(BadRequestException.class);
    }

    @Test
    void anUnsignedAfterBeyondTheLongRangeIsRefused() {
        AppendRequest huge = AppendRequest.newBuilder().addEvents(NewEvent.newBuilder().setType("T"))
                .setCondition(AppendCondition.newBuilder().setAfter(-1)).build();
        assertThatThrownBy(() -> GrpcMessages.append(huge, LIMITS)).hasMessageContaining("condition.after");
    }

    @Test
    void aQueryWithoutItemsMatchesEverything() {
        assertThat(GrpcMessages.query(io.sluice.grpc.v1.Query.getDefaultInstance(), LIMITS)).isEqualTo(Query.all());
    }
}

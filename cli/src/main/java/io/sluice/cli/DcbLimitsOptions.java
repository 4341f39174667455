package io.sluice.cli;

import io.sluice.dcb.api.ApiLimits;
import io.sluice.dcb.rules.DcbLimits;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The DCB API's request limits ({@link ApiLimits}, {@link DcbLimits}): what one append or read may
 * ask of the store. The defaults are {@link ApiLimits#defaults()}'s; each is checked here, so a
 * wrong value is a usage error naming its option.
 */
final class DcbLimitsOptions {

    @Option(names = DcbLimits.EVENTS_OPTION, paramLabel = "N", defaultValue = "100",
            description = "Events in one append. Default: ${DEFAULT-VALUE}.")
    int eventsPerAppend;

    @Option(names = DcbLimits.TAGS_PER_EVENT_OPTION, paramLabel = "N", defaultValue = "100",
            description = "Tags on one event. Default: ${DEFAULT-VALUE}.")
    int tagsPerEvent;

    @Option(names = DcbLimits.TAGS_PER_APPEND_OPTION, paramLabel = "N", defaultValue = "1000",
            description = "Tags on all of one append's events together. Default: ${DEFAULT-VALUE}.")
    int tagsPerAppend;

    @Option(names = DcbLimits.QUERY_ITEMS_OPTION, paramLabel = "N", defaultValue = "100",
            description = "Items in one query (an append's condition or a read). Default: ${DEFAULT-VALUE}.")
    int queryItems;

    @Option(names = DcbLimits.TYPES_PER_ITEM_OPTION, paramLabel = "N", defaultValue = "100",
            description = "Types in one query item. Default: ${DEFAULT-VALUE}.")
    int typesPerItem;

    @Option(names = DcbLimits.TAGS_PER_ITEM_OPTION, paramLabel = "N", defaultValue = "100",
            description = "Tags in one query item. Default: ${DEFAULT-VALUE}.")
    int tagsPerItem;

    @Option(names = DcbLimits.NAME_BYTES_OPTION, paramLabel = "BYTES", defaultValue = "256",
            description = "UTF-8 bytes of one event type or tag. Default: ${DEFAULT-VALUE}.")
    int nameBytes;

    @Option(names = ApiLimits.BODY_OPTION, paramLabel = "BYTES", defaultValue = "" + ApiLimits.DEFAULT_MAX_BODY_BYTES,
            description = "Bytes of one append's body (larger: 413). The command producer's max.request.size is this plus "
                    + ApiLimits.COMMAND_ENVELOPE_BYTES + " bytes, or must be at least that when --command-config sets it; "
                    + "above 1 MiB, raise the commands and events topics' max.message.bytes too. Default: ${DEFAULT-VALUE}.")
    int bodyBytes;

    @Option(names = ApiLimits.READ_DEFAULT_OPTION, paramLabel = "N", defaultValue = "1000",
            description = "Events a read returns when it gives no limit. Default: ${DEFAULT-VALUE}.")
    int readDefaultLimit;

    @Option(names = ApiLimits.READ_MAX_OPTION, paramLabel = "N", defaultValue = "10000",
            description = "The largest limit a read may give (larger: 400). Default: ${DEFAULT-VALUE}.")
    int readMaxLimit;

    ApiLimits limits(CommandSpec spec) {
        inRange(spec, DcbLimits.EVENTS_OPTION, eventsPerAppend, DcbLimits.MAX_COUNT);
        inRange(spec, DcbLimits.TAGS_PER_EVENT_OPTION, tagsPerEvent, DcbLimits.MAX_COUNT);
        inRange(spec, DcbLimits.TAGS_PER_APPEND_OPTION, tagsPerAppend, DcbLimits.MAX_COUNT);
        inRange(spec, DcbLimits.QUERY_ITEMS_OPTION, queryItems, DcbLimits.MAX_COUNT);
        inRange(spec, DcbLimits.TYPES_PER_ITEM_OPTION, typesPerItem, DcbLimits.MAX_COUNT);
        inRange(spec, DcbLimits.TAGS_PER_ITEM_OPTION, tagsPerItem, DcbLimits.MAX_COUNT);
        inRange(spec, DcbLimits.NAME_BYTES_OPTION, nameBytes, DcbLimits.MAX_NAME_BYTES);
        DcbLimits request = new DcbLimits(eventsPerAppend, tagsPerEvent, tagsPerAppend, queryItems, typesPerItem, tagsPerItem, nameBytes);
        inRange(spec, ApiLimits.READ_MAX_OPTION, readMaxLimit, ApiLimits.MAX_READ_LIMIT);
        inRange(spec, ApiLimits.READ_DEFAULT_OPTION, readDefaultLimit, readMaxLimit);
        // what is left for ApiLimits to refuse is the body size
        return OptionValues.parse(spec, ApiLimits.BODY_OPTION,
                () -> new ApiLimits(request, bodyBytes, readDefaultLimit, readMaxLimit));
    }

    private static void inRange(CommandSpec spec, String option, int value, int max) {
        OptionValues.inRange(spec, option, value, 1, max);
    }
}

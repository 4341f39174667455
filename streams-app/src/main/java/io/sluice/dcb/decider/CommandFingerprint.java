package io.sluice.dcb.decider;

import io.sluice.schemas.dcb.AppendCommand;
import io.sluice.schemas.dcb.AppendCondition;
import io.sluice.schemas.dcb.EventData;
import io.sluice.schemas.dcb.QueryItem;

import java.util.List;

/**
 * A 64-bit FNV-1a hash of what an append asks for (its events and condition, not its request id
 * or timestamp): a retry carries the same fingerprint, a different append under a reused
 * idempotency key almost surely does not. Strings are hashed with their lengths, so field
 * boundaries cannot shift ("ab","c" differs from "a","bc").
 */
final class CommandFingerprint {

    private static final long OFFSET_BASIS = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private CommandFingerprint() {
    }

    static long of(AppendCommand command) {
        long hash = OFFSET_BASIS;
        hash = mix(hash, command.getEvents().size());
        for (EventData event : command.getEvents()) {
            hash = mix(hash, event.getType());
            hash = mix(hash, event.getTags());
            hash = mix(hash, event.getData());
        }
        AppendCondition condition = command.getCondition();
        if (condition == null) return mix(hash, -1);
        List<QueryItem> items = condition.getFailIfEventsMatch().getItems();
        hash = mix(hash, items.size());
        for (QueryItem item : items) {
            hash = mix(hash, item.getTypes());
            hash = mix(hash, item.getTags());
        }
        return mix(hash, condition.getAfter() == null ? -1 : condition.getAfter());
    }

    private static long mix(long hash, List<String> values) {
        hash = mix(hash, values.size());
        for (String value : values) hash = mix(hash, value);
        return hash;
    }

    private static long mix(long hash, String value) {
        hash = mix(hash, value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            hash = (hash ^ (c & 0xff)) * PRIME;
            hash = (hash ^ (c >>> 8)) * PRIME;
        }
        return hash;
    }

    private static long mix(long hash, long value) {
        for (int shift = 0; shift < Long.SIZE; shift += Byte.SIZE) {
            hash = (hash ^ ((value >>> shift) & 0xff)) * PRIME;
        }
        return hash;
    }
}

package io.sluice.dcb.api;

import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.ReadOptions;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * A stream's reads of dcb.events from PostgreSQL, a page at a time through the HTTP read's
 * {@link EventReader}: each page is one statement whose cursor is closed before the page is sent,
 * so a stream whose client stops reading holds no connection, transaction or cursor, only the rows
 * of one page.
 */
final class GrpcEventPages {

    private final EventReader reader;

    GrpcEventPages(EventReader reader) {
        this.reader = reader;
    }

    /** Up to {@code max} matching events after {@code after} (backwards: before it; 0 then: from the last). */
    List<EventReader.Row> after(Query query, long after, boolean backwards, int max) throws SQLException {
        OptionalLong from = after == 0 ? OptionalLong.empty() : OptionalLong.of(backwards ? after - 1 : after + 1);
        List<EventReader.Row> rows = new ArrayList<>(Math.min(max, EventReader.FETCH_SIZE));
        try (EventReader.Cursor cursor = reader.open(query, new ReadOptions(from, OptionalInt.of(max), backwards))) {
            for (EventReader.Row row = cursor.next(); row != null; row = cursor.next()) rows.add(row);
        }
        return rows;
    }
}

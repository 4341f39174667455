package io.sluice.dcb.api;

import io.sluice.dcb.query.Query;
import io.sluice.dcb.query.QueryItem;
import io.sluice.dcb.query.ReadOptions;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a DCB read (query and options) into one SQL statement over the {@code events} table, with
 * the same meaning as {@link io.sluice.dcb.query.QueryMatcher}: items are ORed; within an item the
 * type is one of its types ({@code type = ANY(?)}, the btree on (type, position)) and the tags
 * contain all of its tags ({@code tags @> ?}, the GIN index); a query matching everything has no
 * WHERE on type or tags. Pure: produces the SQL text and its parameters in order.
 */
final class QuerySql {

    /**
     * @param sql        the statement
     * @param parameters in order: {@code String[]} (bind as text[]), {@code Long}, {@code Integer}
     */
    record Statement(String sql, List<Object> parameters) {
    }

    private QuerySql() {
    }

    static Statement select(String table, Query query, ReadOptions options) {
        List<String> where = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (!query.matchesAll()) {
            List<String> items = new ArrayList<>();
            for (QueryItem item : query.items()) items.add(item(item, parameters));
            where.add(items.size() == 1 ? items.get(0) : "(" + String.join(" OR ", items) + ")");
        }
        if (options.from().isPresent()) {
            where.add(options.backwards() ? "position <= ?" : "position >= ?");
            parameters.add(options.from().getAsLong());
        }
        StringBuilder sql = new StringBuilder("SELECT position, type, tags, data FROM ").append(table);
        if (!where.isEmpty()) sql.append(" WHERE ").append(String.join(" AND ", where));
        sql.append(" ORDER BY position").append(options.backwards() ? " DESC" : "");
        if (options.limit().isPresent()) {
            sql.append(" LIMIT ?");
            parameters.add(options.limit().getAsInt());
        }
        return new Statement(sql.toString(), List.copyOf(parameters));
    }

    private static String item(QueryItem item, List<Object> parameters) {
        List<String> parts = new ArrayList<>(2);
        if (!item.types().isEmpty()) {
            parts.add("type = ANY(?)");
            parameters.add(item.types().stream().sorted().toArray(String[]::new));
        }
        if (!item.tags().isEmpty()) {
            parts.add("tags @> ?");
            parameters.add(item.tags().stream().sorted().toArray(String[]::new));
        }
        // matchesAll() was false for the query, but this item alone may still be unconstrained.
        if (parts.isEmpty()) return "TRUE";
        return parts.size() == 1 ? parts.get(0) : "(" + String.join(" AND ", parts) + ")";
    }
}

package io.sluice.sinks.etl;

import io.sluice.schemas.etl.UserRows;
import io.sluice.sinks.etl.pgcopy.PgCopyBinaryWriter;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

/**
 * One of the 15 ETL tables: its name, its columns in {@code V2__etl_tables.sql} order, where its rows
 * are in a {@link UserRows} bundle, and the SQL that writes and deletes them.
 *
 * @param name        table name, unqualified
 * @param ownerColumn the column holding the user id ({@code id} for users, {@code user_id} elsewhere)
 * @param rows        the table's rows of one bundle
 * @param owner       the user id a row belongs to
 * @param columns     every column, in table order
 */
public record EtlTable<R>(String name, String ownerColumn, Function<UserRows, List<R>> rows,
                          ToLongFunction<R> owner, List<Column<R>> columns) {

    public EtlTable {
        columns = List.copyOf(columns);
    }

    public String qualifiedName(String schema) {
        return schema + "." + name;
    }

    public String copySql(String schema) {
        return "COPY " + qualifiedName(schema) + " (" + columnList() + ") FROM STDIN (FORMAT BINARY)";
    }

    public String insertSql(String schema) {
        String params = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        return "INSERT INTO " + qualifiedName(schema) + " (" + columnList() + ") VALUES (" + params + ")";
    }

    /** Deletes the rows of the users in the single {@code bigint[]} parameter. */
    public String deleteSql(String schema) {
        return "DELETE FROM " + qualifiedName(schema) + " WHERE " + ownerColumn + " = ANY (?)";
    }

    /**
     * COPYs this table's rows of the given bundles, in bundle order.
     *
     * @return the number of rows copied; 0 without a round trip when the bundles have none
     */
    public long copy(Connection tx, String schema, List<UserRows> bundles, PgCopyBinaryWriter out) throws SQLException {
        boolean any = false;
        for (UserRows b : bundles) {
            if (!rows.apply(b).isEmpty()) {
                any = true;
                break;
            }
        }
        if (!any) return 0;
        int fields = columns.size();
        return out.copyIn(tx, copySql(schema), w -> {
            for (UserRows b : bundles) {
                for (R row : rows.apply(b)) {
                    w.startRow(fields);
                    for (Column<R> c : columns) c.encode(row, w);
                }
            }
        });
    }

    /** Fails when a row of {@code bundle} belongs to another user: deleting by user id would then miss it. */
    public void checkOwner(UserRows bundle) {
        for (R row : rows.apply(bundle)) {
            long rowOwner = owner.applyAsLong(row);
            if (rowOwner != bundle.getUserId()) {
                throw new IllegalArgumentException("bundle of user " + bundle.getUserId() + " has a " + name
                        + " row of user " + rowOwner);
            }
        }
    }

    private String columnList() {
        return columns.stream().map(Column::quotedName).collect(Collectors.joining(", "));
    }
}

package io.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.testing.WithSluiceStack;
import io.sluice.testing.TestStack;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice demo} in-process with small sizes on the test stack: it must exit 0 with a JSON
 * summary whose numbers this test counts again itself in the database the run left behind
 * (--keep-database), table by table.
 */
@WithSluiceStack
class DemoIT {

    private static final int DIDS = 120;
    private static final int USERS = 500;
    private static final int APPENDS = 300;
    /** Rows of every table in schema etl but the sink's bookkeeping, found in the catalog, not in the demo's list. */
    private static final String ALL_ETL_ROWS = "SELECT sum((xpath('/row/n/text()', query_to_xml(format("
            + "'SELECT count(*) AS n FROM %I.%I', table_schema, table_name), false, true, '')))[1]::text::bigint) "
            + "FROM information_schema.tables WHERE table_schema = 'etl' AND table_type = 'BASE TABLE' "
            + "AND table_name NOT IN ('sluice_offsets', 'flyway_schema_history', 'etl_user_positions')";

    @Test
    void theSummarysNumbersAreWhatPostgresHolds(TestStack stack) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(
                "demo", "--dids", "" + DIDS, "--hosts", "4", "--users", "" + USERS, "--dcb-appends", "" + APPENDS,
                "--dcb-clients", "8", "--json", "--keep-database", "--timeout", "240",
                "--bootstrap-server", stack.bootstrapServers(), "--registry-url", stack.registryUrl(),
                "--pg-url", stack.postgres().jdbcUrlWithCredentials());
        String output = out.toString();
        assertThat(output).as("exit %d, stderr %s", exit, err).startsWith("{"); // with --json, stdout is the summary alone
        JsonNode summary = new ObjectMapper().readTree(output);
        PostgresEndpoint db = stack.postgres().withDatabase(summary.get("database").asText());
        try {
            assertThat(exit).as("stdout %s%nstderr %s", output, err).isZero();
            assertThat(err.toString()).as("every address is said at the start")
                    .contains("Kafka bootstrap servers   " + stack.bootstrapServers(), "Schema registry (ccompat) " + stack.registryUrl(),
                            "PostgreSQL database       " + db.jdbcUrl(), "Monitor  ", "export SLUICE_KAFKA_BOOTSTRAP=");
            assertThat(summary.get("ok").asBoolean()).isTrue();
            Map<String, JsonNode> workloads = new HashMap<>();
            summary.get("workloads").forEach(w -> workloads.put(w.get("workload").asText(), w));
            assertThat(workloads).containsOnlyKeys("backfill", "etl", "dcb");

            JsonNode backfill = workloads.get("backfill");
            assertThat(backfill.get("items").asLong()).isEqualTo(DIDS);
            assertThat(count(db, "SELECT count(*) FROM backfill.backfill_dids WHERE state = 'DONE'")).isEqualTo(DIDS);
            assertThat(count(db, "SELECT count(*) FROM backfill.repo_records")).isEqualTo(backfill.get("rows").asLong())
                    .isEqualTo(count(db, "SELECT sum(records) FROM backfill.backfill_dids")).isPositive();
            assertThat(backfill.get("rate_limit_violations").asLong()).isZero();
            assertThat(backfill.get("dlq").asLong()).isZero();

            JsonNode etl = workloads.get("etl");
            assertThat(count(db, "SELECT count(*) FROM etl.users")).isEqualTo(USERS);
            assertThat(count(db, "SELECT count(DISTINCT user_id) FROM etl.profiles")).isEqualTo(USERS);
            assertThat(etl.get("rows").asLong()).as("rows in every table of schema etl").isEqualTo(count(db, ALL_ETL_ROWS));
            assertThat(etl.get("dlq").asLong()).isZero();

            JsonNode dcb = workloads.get("dcb");
            assertThat(count(db, "SELECT count(*) FROM dcb.events")).isEqualTo(APPENDS).isEqualTo(dcb.get("rows").asLong());
            assertThat(count(db, "SELECT count(DISTINCT tags) FROM dcb.events")).as("one tag per append").isEqualTo(APPENDS);
            assertThat(dcb.get("dlq").asLong()).isZero();
        } finally {
            try (Connection c = stack.postgres().connect(); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + db.database() + " WITH (FORCE)");
            }
        }
    }

    private static long count(PostgresEndpoint db, String sql) throws SQLException {
        try (Connection c = db.connect(); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}

package io.sluice.etl.pipeline.check;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.stack.fault.Losses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The 15 ETL tables as canonical text, one line per row ordered by id, either read from PostgreSQL or
 * built by {@link ExpectedTables}. Canonical values: NULL as {@code ∅}, timestamps as epoch
 * milliseconds, dates ISO, numerics as plain decimal text with their scale, JSON with sorted keys and
 * numbers without trailing zeros (jsonb keeps neither key order nor a number's spelling).
 */
public final class TableRows {

    private static final Logger log = LoggerFactory.getLogger(TableRows.class);

    public static final List<String> TABLES = List.of("users", "addresses", "profiles", "education", "experience", "preferences",
            "settings", "activity_log", "transactions", "messages", "attachments", "social_media", "posts", "groups", "large_data");
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private record Line(long id, String text) {
    }

    private final Map<String, List<Line>> lines = new LinkedHashMap<>();

    TableRows() {
        for (String t : TABLES) lines.put(t, new ArrayList<>());
    }

    void add(String table, long id, Object... values) {
        lines.get(table).add(new Line(id, Stream.of(values).map(TableRows::canonical).collect(Collectors.joining("␟"))));
    }

    /** Reads the tables of {@code schema}, converting each column by its PostgreSQL type. */
    public static TableRows read(Connection c, String schema) throws SQLException {
        TableRows t = new TableRows();
        try (Statement st = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + schema + "." + table)) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        Object[] values = new Object[md.getColumnCount()];
                        for (int i = 1; i <= values.length; i++) values[i - 1] = value(rs, i, md.getColumnTypeName(i));
                        t.add(table, rs.getLong("id"), values);
                    }
                }
            }
        }
        return t;
    }

    /** Lines per table, by id. */
    public Map<String, List<String>> rows() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        lines.forEach((table, l) -> out.put(table, l.stream().sorted(Comparator.comparingLong(Line::id)).map(Line::text).toList()));
        return out;
    }

    /** Whether {@code actual} has these rows: the same counts and checksums per table. */
    public boolean matches(TableRows actual) {
        return actual.counts().equals(counts()) && actual.checksums().equals(checksums());
    }

    /**
     * These rows taken as expected, over all 15 tables: expected rows absent from {@code actual} or there
     * fewer times (lost), and there more often (duplicated). A row not expected at all (a delete or an
     * update not applied) is logged; {@link #matches} compares the tables as a whole.
     */
    public Losses losses(TableRows actual) {
        long lost = 0;
        long duplicated = 0;
        for (String table : TABLES) {
            Map<String, Integer> want = new HashMap<>();
            for (String row : rows().get(table)) want.merge(row, 1, Integer::sum);
            Map<String, Integer> have = new HashMap<>();
            for (String row : actual.rows().get(table)) have.merge(row, 1, Integer::sum);
            for (Map.Entry<String, Integer> e : want.entrySet()) {
                int n = have.getOrDefault(e.getKey(), 0);
                if (n < e.getValue()) {
                    lost += e.getValue() - n;
                    log.warn("lost from {}: {}", table, e.getKey());
                } else {
                    duplicated += n - e.getValue();
                }
            }
            for (String row : have.keySet()) if (!want.containsKey(row)) log.warn("not expected in {}: {}", table, row);
        }
        return new Losses(lost, duplicated);
    }

    public Map<String, Integer> counts() {
        Map<String, Integer> out = new LinkedHashMap<>();
        lines.forEach((table, l) -> out.put(table, l.size()));
        return out;
    }

    public long total() {
        return lines.values().stream().mapToLong(List::size).sum();
    }

    /** Per table {@code count:sha-256} of its lines. */
    public Map<String, String> checksums() {
        Map<String, String> out = new LinkedHashMap<>();
        rows().forEach((table, l) -> out.put(table, l.size() + ":" + sha256(String.join("\n", l))));
        return out;
    }

    private static Object value(ResultSet rs, int i, String type) throws SQLException {
        return switch (type) {
            case "timestamptz" -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                yield t == null ? null : t.toInstant();
            }
            case "date" -> rs.getObject(i, LocalDate.class);
            case "numeric" -> rs.getBigDecimal(i);
            case "bool" -> rs.getObject(i, Boolean.class);
            case "jsonb" -> {
                String text = rs.getString(i);
                try {
                    yield text == null ? null : JSON.readTree(text);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
            default -> rs.getString(i); // int8, int4, text
        };
    }

    private static String canonical(Object v) {
        return switch (v) {
            case null -> "∅";
            case Instant t -> Long.toString(t.toEpochMilli());
            case BigDecimal d -> d.toPlainString();
            case JsonNode j -> canonicalJson(j);
            default -> v.toString(); // String, Long, Integer, Boolean, LocalDate (ISO)
        };
    }

    private static String canonicalJson(JsonNode j) {
        if (j.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = j.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), canonicalJson(e.getValue()));
            }
            return sorted.entrySet().stream().map(e -> JSON.valueToTree(e.getKey()).toString() + ":" + e.getValue())
                    .collect(Collectors.joining(",", "{", "}"));
        }
        if (j.isArray()) {
            List<String> items = new ArrayList<>();
            j.forEach(item -> items.add(canonicalJson(item)));
            return "[" + String.join(",", items) + "]";
        }
        if (j.isNumber()) {
            BigDecimal d = j.decimalValue().stripTrailingZeros();
            return d.signum() == 0 ? "0" : d.toPlainString();
        }
        return j.toString(); // text (quoted and escaped), boolean, null
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

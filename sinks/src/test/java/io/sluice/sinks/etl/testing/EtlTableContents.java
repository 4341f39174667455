package io.sluice.sinks.etl.testing;

import io.sluice.schemas.etl.UserRows;

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
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The contents of the 15 ETL tables as canonical text, one line per row ordered by id: either read from
 * PostgreSQL, or computed from bundles by hand, field by field in the DDL's column order. The second is
 * written independently of the sink's column mapping (it does not use {@code EtlTables}), so comparing
 * the two checks the mapping, the encoding and the DDL at once.
 *
 * <p>Canonical values: NULL as {@code ∅}, timestamps as epoch milliseconds, dates ISO, numerics as
 * plain decimal text with their scale, jsonb as PostgreSQL prints it.
 */
public record EtlTableContents(Map<String, List<String>> rows) {

    public static final List<String> TABLES = List.of("users", "addresses", "profiles", "education", "experience",
            "preferences", "settings", "activity_log", "transactions", "messages", "attachments", "social_media", "posts",
            "groups", "large_data");
    private static final String NULL = "∅";
    private static final String SEPARATOR = "␟";

    private record Line(long id, String text) {
    }

    /** What the tables must hold when these are the users' latest bundles (deleted ones contribute nothing). */
    public static EtlTableContents expected(Collection<UserRows> bundles) {
        Map<String, List<Line>> lines = new LinkedHashMap<>();
        for (String t : TABLES) lines.put(t, new ArrayList<>());
        for (UserRows b : bundles) {
            if (b.getDeleted()) continue;
            b.getUsers().forEach(r -> add(lines, "users", r.getId(), r.getId(), r.getUsername(), r.getEmail(), r.getFirstName(),
                    r.getLastName(), r.getAge(), r.getCreatedAt(), r.getUpdatedAt()));
            b.getAddresses().forEach(r -> add(lines, "addresses", r.getId(), r.getId(), r.getUserId(), r.getStreet(), r.getCity(),
                    r.getState(), r.getZip(), r.getCountry(), r.getCoordinates()));
            b.getProfiles().forEach(r -> add(lines, "profiles", r.getId(), r.getId(), r.getUserId(), r.getBio(), r.getAvatarUrl(),
                    r.getInterests(), r.getSkills()));
            b.getEducation().forEach(r -> add(lines, "education", r.getId(), r.getId(), r.getUserId(), r.getInstitution(),
                    r.getDegree(), r.getField(), r.getStartYear(), r.getEndYear()));
            b.getExperience().forEach(r -> add(lines, "experience", r.getId(), r.getId(), r.getUserId(), r.getCompany(),
                    r.getTitle(), r.getStartDate(), r.getEndDate(), r.getDescription()));
            b.getPreferences().forEach(r -> add(lines, "preferences", r.getId(), r.getId(), r.getUserId(), r.getTheme(),
                    r.getLanguage(), r.getEmailNotifications(), r.getPushNotifications(), r.getSmsNotifications()));
            b.getSettings().forEach(r -> add(lines, "settings", r.getId(), r.getId(), r.getUserId(), r.getPrivacy(),
                    r.getTwoFactor(), r.getExtra()));
            b.getActivityLog().forEach(r -> add(lines, "activity_log", r.getId(), r.getId(), r.getUserId(), r.getAction(),
                    r.getIp(), r.getTimestamp()));
            b.getTransactions().forEach(r -> add(lines, "transactions", r.getId(), r.getId(), r.getUserId(),
                    r.getAmount() == null ? null : new BigDecimal(r.getAmount()), r.getCurrency(), r.getStatus(), r.getTimestamp()));
            b.getMessages().forEach(r -> add(lines, "messages", r.getId(), r.getId(), r.getUserId(), r.getSender(),
                    r.getRecipient(), r.getSubject(), r.getBody(), r.getSentAt()));
            b.getAttachments().forEach(r -> add(lines, "attachments", r.getId(), r.getId(), r.getMessageId(), r.getUserId(),
                    r.getFilename(), r.getSize(), r.getMimeType()));
            b.getSocialMedia().forEach(r -> add(lines, "social_media", r.getId(), r.getId(), r.getUserId(), r.getTwitter(),
                    r.getLinkedin(), r.getGithub()));
            b.getPosts().forEach(r -> add(lines, "posts", r.getId(), r.getId(), r.getUserId(), r.getContent(), r.getLikes(),
                    r.getCreatedAt()));
            b.getGroups().forEach(r -> add(lines, "groups", r.getId(), r.getId(), r.getUserId(), r.getName(), r.getRole(),
                    r.getJoinedAt()));
            b.getLargeData().forEach(r -> add(lines, "large_data", r.getId(), r.getId(), r.getUserId(), r.getContent()));
        }
        return new EtlTableContents(sorted(lines));
    }

    /** Reads the tables of {@code schema}, converting each column by its PostgreSQL type. */
    public static EtlTableContents read(Connection c, String schema) throws SQLException {
        Map<String, List<Line>> lines = new LinkedHashMap<>();
        try (Statement st = c.createStatement()) {
            for (String table : TABLES) {
                List<Line> rows = new ArrayList<>();
                try (ResultSet rs = st.executeQuery("SELECT * FROM " + schema + "." + table + " ORDER BY id")) {
                    ResultSetMetaData md = rs.getMetaData();
                    while (rs.next()) {
                        Object[] values = new Object[md.getColumnCount()];
                        for (int i = 1; i <= values.length; i++) values[i - 1] = read(rs, i, md.getColumnTypeName(i));
                        rows.add(new Line(rs.getLong("id"), line(values)));
                    }
                }
                lines.put(table, rows);
            }
        }
        return new EtlTableContents(sorted(lines));
    }

    /** Per table {@code count:md5} of the rows' text as PostgreSQL prints them: to compare two schemas. */
    public static Map<String, String> serverChecksums(Connection c, String schema) throws SQLException {
        Map<String, String> sums = new LinkedHashMap<>();
        try (Statement st = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = st.executeQuery("SELECT count(*), coalesce(md5(string_agg(t::text, E'\\n' ORDER BY t.id)), '')"
                        + " FROM " + schema + "." + table + " t")) {
                    rs.next();
                    sums.put(table, rs.getLong(1) + ":" + rs.getString(2));
                }
            }
        }
        return sums;
    }

    public Map<String, Integer> counts() {
        return rows.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().size(),
                (a, b) -> a, LinkedHashMap::new));
    }

    public long totalRows() {
        return rows.values().stream().mapToLong(List::size).sum();
    }

    /** Per table {@code count:sha-256} of the canonical lines. */
    public Map<String, String> checksums() {
        Map<String, String> sums = new LinkedHashMap<>();
        rows.forEach((table, lines) -> sums.put(table, lines.size() + ":" + sha256(String.join("\n", lines))));
        return sums;
    }

    private static Object read(ResultSet rs, int i, String type) throws SQLException {
        return switch (type) {
            case "timestamptz" -> {
                OffsetDateTime t = rs.getObject(i, OffsetDateTime.class);
                yield t == null ? null : t.toInstant();
            }
            case "date" -> rs.getObject(i, LocalDate.class);
            case "numeric" -> rs.getBigDecimal(i);
            case "bool" -> rs.getObject(i, Boolean.class);
            default -> rs.getString(i); // int8, int4, text, jsonb: their text is canonical
        };
    }

    private static void add(Map<String, List<Line>> lines, String table, long id, Object... values) {
        lines.get(table).add(new Line(id, line(values)));
    }

    private static String line(Object... values) {
        return Stream.of(values).map(EtlTableContents::canonical).collect(Collectors.joining(SEPARATOR));
    }

    private static String canonical(Object v) {
        return switch (v) {
            case null -> NULL;
            case Instant t -> Long.toString(t.toEpochMilli());
            case BigDecimal d -> d.toPlainString();
            default -> v.toString(); // String, Long, Integer, Boolean, LocalDate (ISO)
        };
    }

    private static Map<String, List<String>> sorted(Map<String, List<Line>> lines) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Function<List<Line>, List<String>> byId = l -> l.stream().sorted(Comparator.comparingLong(Line::id)).map(Line::text).toList();
        lines.forEach((table, l) -> out.put(table, byId.apply(l)));
        return out;
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

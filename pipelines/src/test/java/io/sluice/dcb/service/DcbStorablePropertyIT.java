package io.sluice.dcb.service;

import io.sluice.dcb.rules.DcbLimits;
import io.sluice.dcb.rules.StorableText;
import io.sluice.dcb.service.check.DcbClient;
import io.sluice.dcb.service.check.DcbClient.ReadEvent;
import io.sluice.dcb.service.testing.TestServices;
import io.sluice.stack.EmbeddedStack;
import io.sluice.stack.StackConfig;
import io.sluice.stack.TempDirs;
import io.sluice.testing.TestStack;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Tag;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.sluice.dcb.service.check.DcbClient.item;
import static io.sluice.dcb.service.check.DcbClient.query;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Whatever the DCB store acknowledges is stored and readable, as a property over all of Unicode,
 * through the real stack (HTTP API, decider, events sink, PostgreSQL): for any type, tags and data
 * (U+0000, unpaired surrogates, the non-characters U+FFFE and U+FFFF, supplementary planes, blank
 * and over-long names included), an append is either 200 and reads back exactly equal through
 * GET /read, or a 400 naming a field that really breaks a rule. Never 200 and then unreadable or
 * changed. Strings are sent with every non-ASCII code unit escaped, so the request carries exactly
 * the generated UTF-16, lone surrogates too. jqwik runs outside JUnit Jupiter, so the class starts
 * its own stack instead of {@code @WithSluiceStack}'s.
 */
@Tag("integration")
class DcbStorablePropertyIT {

    private static EmbeddedStack stack;
    private static String database;
    private static Path stateDir;
    private static DcbService service;
    private static DcbClient client;

    @BeforeContainer
    static void start() throws Exception {
        stack = EmbeddedStack.start(StackConfig.fromEnvironment(System.getenv(), line -> { }));
        database = "it_storable_" + UUID.randomUUID().toString().substring(0, 8);
        try (Connection c = stack.endpoints().postgres().connect(); Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + database);
        }
        var endpoints = stack.endpoints();
        TestStack test = new TestStack(endpoints.bootstrapServers(), endpoints.registryUrl(),
                endpoints.postgres().withDatabase(database));
        stateDir = TempDirs.create("dcb-storable-");
        service = DcbService.start(TestServices.config(test, stateDir), line -> { });
        client = new DcbClient(service.baseUri());
    }

    @AfterContainer
    static void stop() throws SQLException {
        if (client != null) client.close();
        if (service != null) service.close();
        if (stack != null) {
            try (Connection c = stack.endpoints().postgres().connect(); Statement st = c.createStatement()) {
                st.execute("DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
            }
            stack.close();
        }
        if (stateDir != null) TempDirs.deleteRecursively(stateDir);
    }

    @Property(tries = 50)
    void anAppendIsEither200AndReadBackExactlyOrA400NamingTheField(@ForAll("text") String type,
                                                                    @ForAll("tags") List<String> tags,
                                                                    @ForAll("text") String data) {
        String mark = "try:" + UUID.randomUUID();
        List<String> allTags = new ArrayList<>(tags);
        allTags.add(mark);
        String body = "{\"events\":[{\"type\":" + json(type) + ",\"tags\":[" + String.join(",", allTags.stream()
                .map(DcbStorablePropertyIT::json).toList()) + "],\"data\":" + json(data) + "}]}";

        HttpResponse<String> response = client.post("/append", body, null);
        List<String> broken = brokenFields(type, tags, data);
        Statistics.collect(broken.isEmpty() ? "stored" : "refused");
        if (broken.isEmpty()) {
            assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
            List<ReadEvent> read = client.read(query(List.of(item(List.of(), List.of(mark)))), null);
            assertThat(read).singleElement().satisfies(e -> {
                assertThat(e.type()).isEqualTo(type);
                assertThat(e.tags()).containsExactlyElementsOf(allTags);
                assertThat(e.data()).isEqualTo(data);
            });
        } else {
            assertThat(response.statusCode()).as("%s breaks %s: %s", body, broken, response.body()).isEqualTo(400);
            assertThat(broken).as("the fields broken; the 400 said %s", response.body())
                    .anyMatch(field -> response.body().contains(field + " "));
            // nothing of it reached the log
            assertThat(client.read(query(List.of(item(List.of(), List.of(mark)))), null)).isEmpty();
        }
    }

    /** The fields of the event that break a rule: blank names, names over the byte limit, text PostgreSQL cannot store. */
    private static List<String> brokenFields(String type, List<String> tags, String data) {
        DcbLimits limits = DcbLimits.defaults();
        List<String> broken = new ArrayList<>();
        if (type.isBlank() || limits.name(type, "t").isPresent()) broken.add("events[0].type");
        for (int i = 0; i < tags.size(); i++) {
            if (tags.get(i).isBlank() || limits.name(tags.get(i), "t").isPresent()) broken.add("events[0].tags[" + i + "]");
        }
        if (StorableText.problem(data).isPresent()) broken.add("events[0].data");
        return broken;
    }

    /**
     * Any UTF-16, mostly storable so that both outcomes are common: code points from all of Unicode
     * (supplementary planes included), often U+FFFE and U+FFFF, now and then U+0000, a lone
     * surrogate or a space; or plain letters; now and then 300 letters, over the name limit.
     */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> codePoint = Arbitraries.integers().between(1, Character.MAX_CODE_POINT)
                .filter(cp -> cp < Character.MIN_SURROGATE || cp > Character.MAX_SURROGATE).map(Character::toString);
        Arbitrary<String> piece = Arbitraries.frequencyOf(
                Tuple.of(40, codePoint),
                Tuple.of(3, Arbitraries.of("\uFFFE", "\uFFFF")),
                Tuple.of(1, Arbitraries.of("\u0000", " ")),
                Tuple.of(1, Arbitraries.chars().range(Character.MIN_SURROGATE, Character.MAX_SURROGATE).map(String::valueOf)));
        Arbitrary<String> mixed = piece.list().ofMaxSize(6).map(parts -> String.join("", parts));
        Arbitrary<String> plain = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> long300 = Arbitraries.strings().alpha().ofLength(300);
        return Arbitraries.frequencyOf(Tuple.of(6, mixed), Tuple.of(3, plain), Tuple.of(1, long300));
    }

    @Provide
    Arbitrary<List<String>> tags() {
        return text().list().ofMaxSize(3);
    }

    /** A JSON string literal with every code unit outside printable ASCII escaped as {@code \\uXXXX}. */
    private static String json(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') sb.append(c);
            else sb.append(String.format("\\u%04x", (int) c));
        }
        return sb.append('"').toString();
    }
}

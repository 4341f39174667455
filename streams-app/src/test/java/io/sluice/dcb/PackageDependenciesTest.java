package io.sluice.dcb;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The DCB packages layer one way: {@code query} (the model, plain Java) ← {@code index} (state
 * stores) ← {@code decider} (the topology). Checked on the imports of the main sources; the query
 * model sits in schemas/ because the HTTP API in producers/ shares it.
 */
class PackageDependenciesTest {

    // The query model is shared with the HTTP API, so it lives in schemas/; the rest is here.
    private static final Path SOURCES = Path.of("src/main/java/io/sluice/dcb");
    private static final Path QUERY_SOURCES = Path.of("../schemas/src/main/java/io/sluice/dcb/query");
    private static final Pattern IMPORT = Pattern.compile("^import (?:static )?([\\w.]+)\\.[\\w*]+;", Pattern.MULTILINE);

    static Stream<Arguments> rules() {
        return Stream.of(
                arguments("query", List.of("io.sluice.dcb.index", "io.sluice.dcb.decider", "org.apache.kafka", "org.apache.avro",
                        "io.sluice.schemas")),
                arguments("index", List.of("io.sluice.dcb.decider", "org.apache.avro", "io.sluice.schemas")));
    }

    @ParameterizedTest(name = "{0} does not depend on {1}")
    @MethodSource("rules")
    void packagesDependOnlyDownwards(String pkg, List<String> forbidden) throws IOException {
        Path dir = pkg.equals("query") ? QUERY_SOURCES : SOURCES.resolve(pkg);
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> sources = files.filter(f -> f.toString().endsWith(".java")).toList();
            assertThat(sources).isNotEmpty();
            for (Path source : sources) {
                Matcher imports = IMPORT.matcher(Files.readString(source));
                while (imports.find()) {
                    String imported = imports.group(1);
                    assertThat(forbidden).as("%s imports %s", source.getFileName(), imported)
                            .noneMatch(imported::startsWith);
                }
            }
        }
    }
}

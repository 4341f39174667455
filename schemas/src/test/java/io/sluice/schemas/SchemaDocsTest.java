package io.sluice.schemas;

import io.sluice.schemas.testing.SampleRecords;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericContainer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The schemas are the contract between teams: every named type and field must say what it means. */
class SchemaDocsTest {

    @Test
    void everyNamedTypeAndFieldHasADocAndAWorkloadNamespace() {
        List<String> missing = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (SampleRecords.Sample sample : SampleRecords.byTopic().values()) {
            visit(((GenericContainer) sample.value()).getSchema(), missing, seen);
        }
        assertThat(missing).isEmpty();
        assertThat(seen).hasSizeGreaterThanOrEqualTo(10 + 15 + 4 + 3);
        assertThat(seen).allSatisfy(name -> assertThat(name).matches("io\\.sluice\\.schemas\\.(backfill|etl|dcb)\\.[A-Z]\\w+"));
    }

    @Test
    void userRowsHasOneArrayPerTable() {
        Schema schema = io.sluice.schemas.etl.UserRows.getClassSchema();
        assertThat(schema.getFields().stream().filter(f -> f.schema().getType() == Schema.Type.ARRAY).map(Schema.Field::name))
                .containsExactly("users", "addresses", "profiles", "education", "experience", "preferences", "settings",
                        "activity_log", "transactions", "messages", "attachments", "social_media", "posts", "groups",
                        "large_data");
    }

    private static void visit(Schema schema, List<String> missing, Set<String> seen) {
        switch (schema.getType()) {
            case RECORD -> {
                if (!seen.add(schema.getFullName())) return;
                if (blank(schema.getDoc())) missing.add(schema.getFullName());
                for (Schema.Field field : schema.getFields()) {
                    if (blank(field.doc())) missing.add(schema.getFullName() + "." + field.name());
                    visit(field.schema(), missing, seen);
                }
            }
            case ENUM -> {
                if (seen.add(schema.getFullName()) && blank(schema.getDoc())) missing.add(schema.getFullName());
            }
            case ARRAY -> visit(schema.getElementType(), missing, seen);
            case MAP -> visit(schema.getValueType(), missing, seen);
            case UNION -> schema.getTypes().forEach(t -> visit(t, missing, seen));
            default -> { }
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}

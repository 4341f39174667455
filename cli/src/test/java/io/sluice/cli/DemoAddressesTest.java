package io.sluice.cli;

import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.StackEndpoints;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DemoAddressesTest {

    private static final StackEndpoints STACK = new StackEndpoints("127.0.0.1:41234", "http://127.0.0.1:41235/apis/ccompat/v7",
            new PostgresEndpoint("jdbc:postgresql://127.0.0.1:5432/postgres", "sluice", "s3cret"));
    private static final PostgresEndpoint RUN_DB = STACK.postgres().withDatabase("sluice_demo_ab12");

    private static String print(PostgresEndpoint db, boolean showPassword) {
        StringWriter text = new StringWriter();
        DemoAddresses.print(new PrintWriter(text, true), STACK, db, Optional.of("http://127.0.0.1:41236/"), showPassword);
        return text.toString();
    }

    @Test
    void everyAddressAndAnExportLineForTheRunsDatabase() {
        String text = print(RUN_DB, false);

        assertThat(text).contains("Kafka bootstrap servers   127.0.0.1:41234",
                "Schema registry (ccompat) http://127.0.0.1:41235/apis/ccompat/v7",
                "PostgreSQL database       jdbc:postgresql://127.0.0.1:5432/sluice_demo_ab12 (user sluice)",
                "Monitor                   http://127.0.0.1:41236/");
        assertThat(text).containsPattern("(?m)^export SLUICE_KAFKA_BOOTSTRAP=127.0.0.1:41234 "
                + "SLUICE_REGISTRY_URL=http://127.0.0.1:41235/apis/ccompat/v7 "
                + "SLUICE_PG_URL='jdbc:postgresql://127.0.0.1:5432/sluice_demo_ab12\\?user=sluice&password=\\*\\*\\*'$");
    }

    @Test
    void thePasswordIsPrintedOnlyWhenAskedFor() {
        assertThat(print(RUN_DB, false)).doesNotContain("s3cret").contains("--show-password");
        assertThat(print(RUN_DB, true)).contains("password=s3cret").doesNotContain("***");
    }

    @Test
    void withoutAPasswordThereIsNothingToHide() {
        String text = print(new PostgresEndpoint("jdbc:postgresql://127.0.0.1:5432/d", "postgres", ""), false);

        assertThat(text).contains("SLUICE_PG_URL='jdbc:postgresql://127.0.0.1:5432/d?user=postgres'").doesNotContain("***", "--show-password");
    }
}

package io.sluice.stack.postgres;

import io.sluice.stack.PostgresEndpoint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PostgresUrlsTest {

    @Test
    void credentials_move_out_of_the_url() {
        PostgresEndpoint endpoint = PostgresUrls.parse("jdbc:postgresql://db:5432/sluice?user=u&password=p%40ss&sslmode=require");
        assertThat(endpoint.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/sluice?sslmode=require");
        assertThat(endpoint.user()).isEqualTo("u");
        assertThat(endpoint.password()).isEqualTo("p@ss");
    }

    @Test
    void a_malformed_url_is_echoed_without_its_password() {
        assertThatThrownBy(() -> PostgresUrls.parse("postgresql://db:5432/sluice?user=u&password=hunter2"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SLUICE_PG_URL").hasMessageContaining("postgresql://db:5432/sluice")
                .hasMessageNotContaining("hunter2");
        assertThatThrownBy(() -> PostgresUrls.parse("postgres://u:hunter2@db/sluice"))
                .hasMessageNotContaining("hunter2");
    }

    @Test
    void an_endpoint_prints_without_its_password() {
        PostgresEndpoint endpoint = new PostgresEndpoint("jdbc:postgresql://db/x", "u", "hunter2");
        assertThat(endpoint.toString()).doesNotContain("hunter2").contains("u");
    }
}

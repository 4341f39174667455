package io.sluice.stack.postgres;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The fallback when no server runs: a real cluster from the machine's binaries, gone after close. */
@Tag("integration")
class ThrowawayPostgresClusterIT {

    @Test
    void startsServesAndRemovesACluster() throws Exception {
        assumeTrue(ThrowawayPostgresCluster.findBinDir().isPresent(), "no PostgreSQL binaries on this machine");
        Optional<ThrowawayPostgresCluster> started = ThrowawayPostgresCluster.startIfInstalled(line -> { });
        assertThat(started).isPresent();
        Path dataDir;
        try (ThrowawayPostgresCluster cluster = started.get(); Connection c = cluster.endpoint().connect()) {
            ResultSet rs = c.createStatement().executeQuery("SHOW data_directory");
            rs.next();
            dataDir = Path.of(rs.getString(1));
            assertThat(Files.isDirectory(dataDir)).isTrue();
            assertThat(cluster.endpoint().jdbcUrl()).doesNotContain(":5432/");
        }
        assertThat(Files.exists(dataDir)).isFalse();
    }

    @Test
    void parsesCredentialsOutOfAConfiguredUrl() {
        var endpoint = PostgresUrls.parse("jdbc:postgresql://db:5432/sluice?user=app&password=s%40cret&sslmode=disable");
        assertThat(endpoint.jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/sluice?sslmode=disable");
        assertThat(endpoint.user()).isEqualTo("app");
        assertThat(endpoint.password()).isEqualTo("s@cret");
        assertThat(endpoint.withDatabase("other").jdbcUrl()).isEqualTo("jdbc:postgresql://db:5432/other?sslmode=disable");
    }
}

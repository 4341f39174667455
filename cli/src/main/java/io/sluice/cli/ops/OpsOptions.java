package io.sluice.cli.ops;

import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.postgres.PostgresUrls;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.postgresql.ds.PGSimpleDataSource;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import javax.sql.DataSource;
import java.util.Map;
import java.util.Optional;

/**
 * Where the broker and the sinks' PostgreSQL are, for the operations commands: {@code --bootstrap-servers}
 * (required, default {@code $SLUICE_KAFKA_BOOTSTRAP}) and {@code --pg-url} (optional, default
 * {@code $SLUICE_PG_URL}: without it the sinks' stored offsets are not seen).
 */
public final class OpsOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--bootstrap-servers", paramLabel = "HOST:PORT", defaultValue = "${env:SLUICE_KAFKA_BOOTSTRAP}",
            description = "Kafka bootstrap servers (default: $SLUICE_KAFKA_BOOTSTRAP).")
    String bootstrapServers;

    @Option(names = "--pg-url", paramLabel = "JDBC-URL", defaultValue = "${env:SLUICE_PG_URL}",
            description = "PostgreSQL of the sinks, whose sluice_offsets tables hold their offsets; JDBC URL with "
                    + "user= and password= parameters (default: $SLUICE_PG_URL; none: Kafka's offsets only).")
    String pgUrl;

    Admin admin() {
        if (bootstrapServers == null || bootstrapServers.isBlank()) {
            throw new ParameterException(spec.commandLine(), "--bootstrap-servers is not set: pass it or set "
                    + "SLUICE_KAFKA_BOOTSTRAP (`sluice stack` prints an export line for the SLUICE_* variables)");
        }
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers.trim()));
    }

    Optional<DataSource> postgres() {
        if (pgUrl == null || pgUrl.isBlank()) return Optional.empty();
        PostgresEndpoint pg;
        try {
            pg = PostgresUrls.parse(pgUrl.trim());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--pg-url: " + e.getMessage());
        }
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(pg.jdbcUrl());
        if (!pg.user().isEmpty()) ds.setUser(pg.user());
        if (!pg.password().isEmpty()) ds.setPassword(pg.password());
        ds.setApplicationName("sluice-ops");
        return Optional.of(ds);
    }
}

package io.sluice.dcb.service.testing;

import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.testing.TestStack;

import java.nio.file.Path;
import java.util.UUID;

/** DCB store settings for a test: the test's own database, topics, decider and sink group on the shared broker. */
public final class TestServices {

    private TestServices() {
    }

    public static DcbServiceConfig config(TestStack stack, Path stateDir) {
        PostgresEndpoint pg = stack.postgres();
        DcbApiConfig api = DcbApiConfig.defaults(0, stack.connection(), pg.jdbcUrl(), pg.user(),
                pg.password());
        return DcbServiceConfig.defaults(api).withSuffix(UUID.randomUUID().toString().substring(0, 8)).withStateDir(stateDir);
    }
}

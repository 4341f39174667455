package io.sluice.fault.components;

import io.sluice.common.client.ConnectionSettings;
import io.sluice.dcb.api.DcbApiConfig;
import io.sluice.dcb.service.DcbService;
import io.sluice.dcb.service.DcbServiceConfig;
import io.sluice.stack.PostgresEndpoint;
import io.sluice.stack.process.ChildJvm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The DCB store as {@code sluice dcb-api} runs it (decider, events sink and HTTP API in one process), in
 * a JVM of its own: topics and group ids suffixed, its tables in a schema of its own.
 */
public final class DcbComponent {

    private static final Duration START = Duration.ofSeconds(120);

    private DcbComponent() {
    }

    /** The store's settings: the same in the child process and in the test that checks it. */
    public static DcbServiceConfig config(String bootstrap, String registry, PostgresEndpoint postgres, int port, String suffix,
                                          Path stateDir) {
        DcbApiConfig api = DcbApiConfig.defaults(port, ConnectionSettings.plaintext(bootstrap, registry), postgres.jdbcUrl(),
                        postgres.user(), postgres.password())
                .withSchema("dcb_" + suffix.replace('-', '_'))
                // a client gets a 503 after 5 s without an answer and retries under the same key
                .withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(30));
        return DcbServiceConfig.defaults(api).withSuffix(suffix).withStateDir(stateDir);
    }

    public static ChildJvm start(String bootstrap, String registry, PostgresEndpoint postgres, int port, String suffix,
                                 Path stateDir, Path log) throws IOException, InterruptedException {
        return ChildJvm.start("dcb-api", DcbComponent.class, List.of(bootstrap, registry, postgres.jdbcUrl(), postgres.user(),
                postgres.password(), Integer.toString(port), suffix, stateDir.toString()), ChildJvm.SMALL, log, START);
    }

    /** Runs the store until killed. Args: bootstrap registry jdbcUrl user password port suffix stateDir. */
    public static void main(String[] args) throws InterruptedException {
        DcbServiceConfig config = config(args[0], args[1], new PostgresEndpoint(args[2], args[3], args[4]),
                Integer.parseInt(args[5]), args[6], Path.of(args[7]));
        DcbService service = DcbService.start(config, System.out::println);
        System.out.println("serving " + service.baseUri());
        ChildJvm.announceRunning();
        while (service.isHealthy()) Thread.sleep(1_000);
        System.out.println("the events sink stopped");
        System.exit(1);
    }
}

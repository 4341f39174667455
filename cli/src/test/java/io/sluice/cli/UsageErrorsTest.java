package io.sluice.cli;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A bad value of each kind of option, in the commands that have one, is a usage error: exit 2, a message
 * that names the option, and the pointer to --help; nothing is started or connected to first (the
 * services given are unreachable ports).
 */
class UsageErrorsTest {

    private static final String[] KAFKA = {"--bootstrap=127.0.0.1:1", "--registry=http://127.0.0.1:1"};
    private static final String[] FETCHER_KAFKA = {"--bootstrap-servers=127.0.0.1:1", "--registry-url=http://127.0.0.1:1"};

    record Case(String kind, String named, List<String> args) {
        @Override
        public String toString() {
            return kind + ": sluice " + String.join(" ", args);
        }
    }

    static Stream<Case> badValues() {
        String missing = Path.of(System.getProperty("java.io.tmpdir"), "sluice-no-such-dir", "missing.txt").toString();
        return Stream.of(
                c("malformed number", "--max-in-flight", "fetcher", FETCHER_KAFKA, "--max-in-flight", "many"),
                c("malformed number", "--dids", "demo", "--dids", "1e3"),
                c("number out of range", "--max-in-flight", "fetcher", FETCHER_KAFKA, "--max-in-flight", "0"),
                c("number out of range", "--max-attempts", "fetcher", FETCHER_KAFKA, "--max-attempts", "-1"),
                c("port out of range", "--port", "dcb-api", "--port", "70000"),
                c("gRPC port out of range", "--grpc-port", "dcb-api", "--grpc-port", "-1"),
                c("TLS certificate without its key", "--grpc-tls-key", "dcb-api", "--grpc-port", "0", "--grpc-tls-cert", "pom.xml"),
                c("missing file", "--grpc-tls-key", "dcb-api", "--grpc-port", "0", "--grpc-tls-cert", "pom.xml", "--grpc-tls-key", missing),
                c("not PEM", "--grpc-tls-cert", "dcb-api", "--grpc-port", "0", "--grpc-tls-cert", "pom.xml", "--grpc-tls-key", "pom.xml"),
                c("TLS without gRPC", "--grpc-port", "dcb-api", "--grpc-tls-cert", "pom.xml", "--grpc-tls-key", "pom.xml"),
                c("port out of range", "--port", "simulate-pds", "--port", "-1"),
                c("port out of range", "--metrics-port", "fetcher", FETCHER_KAFKA, "--metrics-port", "65536"),
                c("malformed port", "--metrics-port", "ratelimiter", KAFKA, "--metrics-port", "90a"),
                c("interval out of range", "--commit-interval-ms", "dcb-api", "--commit-interval-ms", "0"),
                c("limit out of range", "--max-events-per-append", "dcb-api", "--max-events-per-append", "0"),
                c("limit out of range", "--max-name-bytes", "dcb-api", "--max-name-bytes", "100000"),
                c("read limits crossed", "--read-default-limit", "dcb-api", "--read-default-limit", "20000"),
                c("body limit out of range", "--max-body-bytes", "dcb-api", "--max-body-bytes", "10"),
                c("malformed duration", "--interval", "lag", "--interval", "2 parsecs"),
                c("non-positive duration", "--stall-after", "lag", "--stall-after", "0s"),
                c("malformed URL scheme", "--ratelimiter-metrics", "monitor", KAFKA, "--ratelimiter-metrics", "ftp://h/metrics"),
                c("enum", "--window-alignment", "ratelimiter", KAFKA, "--window-alignment", "fixed"),
                c("enum", "--records-shape", "simulate-pds", "--records-shape", "zipf"),
                c("rate", "--default-policy", "ratelimiter", KAFKA, "--default-policy", "fast"),
                c("rate", "--host-policy", "ratelimiter", KAFKA, "--host-policy", "pds.example=20/fortnight"),
                c("rate", "--rate-limit", "simulate-pds", "--rate-limit", "20"),
                c("rate", "--host-limit", "bench", "backfill", "--host-limit", "twenty"),
                c("rate", "--host-limit", "bench", "backfill", "--host-limit", "20/m"),
                c("range", "--records", "simulate-pds", "--records", "200..10..5"),
                c("missing file", "FILE", "publish-dids", KAFKA, missing),
                c("missing file", "FILE", "inspect-car", missing),
                c("missing file", "--config", "connect", "register", "--config", missing),
                c("size", "--dids", "demo", "--dids", "0"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badValues")
    void isAUsageErrorNamingTheOption(Case bad) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Sluice.commandLine().setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true))
                .execute(bad.args().toArray(String[]::new));

        assertThat(exit).as("exit of %s; stderr: %s", bad, err).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).as("stderr of %s", bad).contains(bad.named()).contains("--help' for usage.");
        assertThat(out.toString()).as("stdout of %s", bad).isEmpty();
    }

    private static Case c(String kind, String named, Object... args) {
        List<String> list = new ArrayList<>();
        for (Object a : args) {
            if (a instanceof String[] many) list.addAll(List.of(many)); else list.add((String) a);
        }
        return new Case(kind, named, List.copyOf(list));
    }
}

package io.sluice.cli;

import io.sluice.ops.metrics.ComponentMetrics;
import io.sluice.ops.metrics.MetricsServer;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/**
 * {@code --metrics-port}, shared by the long-running commands. Off unless given (or
 * {@code SLUICE_METRICS_PORT} is set; the compose file gives the rate limiter one for the monitor): a command run by
 * hand should not grab a port nobody asked for, and two commands on one host cannot share one.
 */
public final class MetricsOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    Integer port;

    /** Checked as it is parsed, so a bad port is a usage error before the command connects anywhere. */
    @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "${env:SLUICE_METRICS_PORT}",
            description = "Serve Prometheus metrics at http://HOST:PORT/metrics (0: any free port, printed; "
                    + "default: $SLUICE_METRICS_PORT, else no metrics endpoint).")
    void port(Integer value) {
        if (value != null && (value < 0 || value > 65535)) {
            throw new ParameterException(spec.commandLine(), "--metrics-port must be 0..65535, got " + value);
        }
        this.port = value;
    }

    @Option(names = "--metrics-host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "Address the metrics endpoint listens on (default: ${DEFAULT-VALUE}, like every sluice "
                    + "listener; 0.0.0.0 for every interface).")
    String host;

    /**
     * The meters of {@code component}, served at /metrics when a port was given (the URL is printed to
     * {@code err}); closing them stops the endpoint.
     */
    public ComponentMetrics start(String component, PrintWriter err) {
        ComponentMetrics metrics = new ComponentMetrics(component);
        if (port != null) {
            MetricsServer server;
            try {
                server = MetricsServer.start(host, port, metrics);
            } catch (RuntimeException e) {
                metrics.close();
                throw e;
            }
            metrics.closeWith(server);
            err.println(component + ": metrics at " + server.url());
            err.flush();
        }
        return metrics;
    }
}

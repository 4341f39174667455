package io.sluice.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * {@code --instance-id}, for the long-running commands of which several instances share the work: it
 * ends the Kafka {@code client.id} of the instance's clients ({@code sluice-fetcher-ID}), so the broker's
 * view of the group, its logs and the client metrics tell the instances apart, and a takeover shows
 * which instance's partitions moved. Defaults to {@code $SLUICE_INSTANCE_ID}, else {@code HOST-PID}.
 */
public final class InstanceOptions {

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9._-]{1,100}");

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    String id;

    @Option(names = "--instance-id", paramLabel = "ID", defaultValue = "${env:SLUICE_INSTANCE_ID}",
            description = "Names this instance in its Kafka client ids, e.g. sluice-fetcher-ID (letters, digits, . _ -; "
                    + "default: $SLUICE_INSTANCE_ID, else HOST-PID).")
    void id(String value) {
        if (value != null && !value.isBlank() && !SAFE.matcher(value).matches()) {
            throw new ParameterException(spec.commandLine(),
                    "--instance-id must be 1..100 letters, digits, '.', '_' or '-', got '" + value + "'");
        }
        this.id = value == null || value.isBlank() ? null : value;
    }

    /** The given id, or {@code HOST-PID}. */
    public String id() {
        return id != null ? id : defaultId();
    }

    /** {@code <stage>-<id>}: the client.id of this instance's clients of {@code stage}. */
    public String clientId(String stage) {
        return stage + "-" + id();
    }

    static String defaultId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "host";
        }
        String safeHost = host.replaceAll("[^A-Za-z0-9._-]", "_");
        return safeHost + "-" + ProcessHandle.current().pid();
    }
}

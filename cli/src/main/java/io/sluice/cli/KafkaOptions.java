package io.sluice.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --bootstrap} and {@code --registry}, shared by the commands that talk to Kafka. Both default
 * to the {@code SLUICE_*} variables that {@code sluice stack} prints, so after {@code eval} of its
 * export line no command needs them spelt out.
 */
final class KafkaOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT[,...]", defaultValue = "${env:SLUICE_KAFKA_BOOTSTRAP}",
            description = "Kafka bootstrap servers (default: $SLUICE_KAFKA_BOOTSTRAP).")
    String bootstrap;

    @Option(names = "--registry", paramLabel = "URL", defaultValue = "${env:SLUICE_REGISTRY_URL}",
            description = "Schema registry base URL, Confluent API, e.g. http://127.0.0.1:8080/apis/ccompat/v7 "
                    + "(default: $SLUICE_REGISTRY_URL).")
    String registry;

    String bootstrap() {
        return required(bootstrap, "--bootstrap", "SLUICE_KAFKA_BOOTSTRAP");
    }

    String registry() {
        return required(registry, "--registry", "SLUICE_REGISTRY_URL");
    }

    private String required(String value, String option, String variable) {
        if (value == null || value.isBlank()) {
            throw new ParameterException(spec.commandLine(), "no " + option + " given and " + variable
                    + " is not set (start a stack with 'sluice stack' and run the export line it prints)");
        }
        return value.trim();
    }
}

package io.sluice.bench.soak;

/** The faults the soak repeats, with the names its table gives them (the fault suite's names). */
public enum FaultKind {
    BROKER_RESTART("broker restart (SIGTERM)"),
    POSTGRES_OUTAGE("PostgreSQL outage"),
    COMPONENT_KILL("component SIGKILL");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }
}

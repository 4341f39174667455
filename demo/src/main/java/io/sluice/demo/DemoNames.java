package io.sluice.demo;

/**
 * Names of the demo's topics, consumer groups and Streams application ids. On the embedded broker,
 * which starts empty, they are the standard ones, so {@code sluice lag}, {@code sluice monitor} and
 * Kafka UI show the demo as they would show production. On an external cluster, which may hold an
 * earlier run's topics and committed offsets, every name gets the run's prefix ({@code demo-<run>}),
 * so a run never reads another's data.
 *
 * @param runId    this run's id: also the PostgreSQL database's suffix and the DID publish run id
 * @param isolated prefix every name with {@link #prefix()}
 */
public record DemoNames(String runId, boolean isolated) {

    public DemoNames {
        if (runId == null || !runId.matches("[a-z0-9]{1,16}")) {
            throw new IllegalArgumentException("runId must be 1-16 lower-case letters or digits, got " + runId);
        }
    }

    /** {@code demo-<run>} */
    public String prefix() {
        return "demo-" + runId;
    }

    /** A topic: the standard name, or {@code demo-<run>.<name>}. */
    public String topic(String standard) {
        return isolated ? prefix() + "." + standard : standard;
    }

    /** A group or application id: the standard one, or {@code demo-<run>-<id>}. */
    public String id(String standard) {
        return isolated ? prefix() + "-" + standard : standard;
    }

    /** The PostgreSQL database the run writes to; made fresh for every run. */
    public String database() {
        return "sluice_demo_" + runId;
    }
}

package io.sluice.ops.monitor;

import java.util.List;
import java.util.Objects;

/**
 * One step of a workload as the monitor draws it: the topics it reads, the consumer group (or Streams
 * application id) whose lag it shows, and the topics it writes.
 *
 * @param name    what the stage is, e.g. {@code rate limiter}
 * @param group   consumer group or Streams application id
 * @param inputs  topics the group consumes
 * @param outputs topics the stage produces (a sink's are PostgreSQL tables, named as such)
 */
public record Stage(String name, String group, List<String> inputs, List<String> outputs) {

    public Stage {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(group, "group");
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        if (inputs.isEmpty()) throw new IllegalArgumentException("stage " + name + " reads no topic");
    }
}

package io.sluice.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ops.lag.GroupStatus;
import io.sluice.ops.lag.PartitionLag;

import java.time.Instant;
import java.util.List;

/**
 * {@code sluice lag --json}: one document per sample, on one line: {@code {"at", "groups": [{"group",
 * "status", "members", "source", "lag", "ratePerSecond", "drainSeconds" (null when the lag is not
 * shrinking), "partitions": [{"topic", "partition", "committed" (null when none), "end", "lag"}]}]}}.
 */
final class LagJson {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LagJson() {
    }

    static String render(Instant at, List<GroupStatus> statuses) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("at", at.toString());
        ArrayNode groups = doc.putArray("groups");
        for (GroupStatus s : statuses) {
            ObjectNode g = groups.addObject();
            g.put("group", s.groupId());
            g.put("status", s.status().name());
            g.put("members", s.lag().members());
            g.put("source", s.lag().source().label());
            g.put("lag", s.lag().totalLag());
            g.put("ratePerSecond", Math.round(s.ratePerSecond() * 10) / 10.0);
            if (s.timeToDrain().isPresent()) g.put("drainSeconds", s.timeToDrain().get().toMillis() / 1000.0);
            else g.putNull("drainSeconds");
            ArrayNode partitions = g.putArray("partitions");
            for (PartitionLag p : s.lag().partitions()) {
                ObjectNode n = partitions.addObject();
                n.put("topic", p.topic());
                n.put("partition", p.partition());
                if (p.committed().isPresent()) n.put("committed", p.committed().getAsLong());
                else n.putNull("committed");
                n.put("end", p.end());
                n.put("lag", p.lag());
            }
        }
        return doc.toString();
    }
}

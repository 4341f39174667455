package io.sluice.cli.ops;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.ops.dlq.DlqEntry;
import io.sluice.ops.dlq.DlqReplay;
import io.sluice.ops.dlq.DlqSummary;
import io.sluice.ops.dlq.ValueDecoder;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * What {@code sluice dlq} prints. JSON: listing {@code {"topics": [{"topic", "read", "truncated", "counts":
 * [{"stage", "reason", "entries"}]}]}}; {@code --show} {@code {"entries": [entry]}} with entry {@code {"topic",
 * "partition", "offset", "timestamp", "stage", "reason", "headers": {name: value}, "key": {"form", "text"},
 * "value": {"form", "text"}}}; {@code --replay} {@code {"dryRun", "sent": [{"from", "to", "partition",
 * "offset", "key", "value"}]}} (partition and offset null in a dry run).
 */
final class DlqRender {

    private static final ObjectMapper JSON = new ObjectMapper();

    private DlqRender() {
    }

    static String summaryText(List<DlqSummary> summaries) {
        if (summaries.isEmpty()) return "no dead-letter topics (*.dlq)" + System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        for (DlqSummary s : summaries) {
            sb.append(String.format(Locale.ROOT, "%s: %,d entr%s%s%n", s.topic(), s.read(), s.read() == 1 ? "y" : "ies",
                    s.truncated() ? " (stopped at --max-records)" : ""));
            if (s.counts().isEmpty()) continue;
            int width = Math.max(5, s.counts().stream().mapToInt(c -> c.stage().length()).max().orElse(5));
            sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %-24s  %10s%n", "STAGE", "REASON", "ENTRIES"));
            for (DlqSummary.Count c : s.counts()) {
                sb.append(String.format(Locale.ROOT, "  %-" + width + "s  %-24s  %,10d%n", c.stage(), c.reason(), c.entries()));
            }
        }
        return sb.toString();
    }

    static String summaryJson(List<DlqSummary> summaries) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode topics = doc.putArray("topics");
        for (DlqSummary s : summaries) {
            ObjectNode t = topics.addObject();
            t.put("topic", s.topic());
            t.put("read", s.read());
            t.put("truncated", s.truncated());
            ArrayNode counts = t.putArray("counts");
            for (DlqSummary.Count c : s.counts()) {
                counts.addObject().put("stage", c.stage()).put("reason", c.reason()).put("entries", c.entries());
            }
        }
        return doc + System.lineSeparator();
    }

    static String entriesText(List<DlqEntry> entries, ValueDecoder decoder) {
        if (entries.isEmpty()) return "no entries selected" + System.lineSeparator();
        StringBuilder sb = new StringBuilder();
        for (DlqEntry e : entries) {
            sb.append(String.format(Locale.ROOT, "%s  %s  stage=%s reason=%s%n", e.position(), Instant.ofEpochMilli(e.timestamp()),
                    e.stage(), e.reason()));
            for (Header h : e.headers()) {
                sb.append("  ").append(h.key()).append(": ").append(header(h)).append(System.lineSeparator());
            }
            ValueDecoder.Decoded key = decoder.decode(e.key());
            ValueDecoder.Decoded value = decoder.decode(e.value());
            sb.append("  key (").append(form(key)).append("): ").append(key.text()).append(System.lineSeparator());
            sb.append("  value (").append(form(value)).append("): ").append(value.text()).append(System.lineSeparator());
        }
        return sb.toString();
    }

    static String entriesJson(List<DlqEntry> entries, ValueDecoder decoder) {
        ObjectNode doc = JSON.createObjectNode();
        ArrayNode list = doc.putArray("entries");
        for (DlqEntry e : entries) {
            ObjectNode n = list.addObject();
            n.put("topic", e.topic()).put("partition", e.partition()).put("offset", e.offset()).put("timestamp", e.timestamp());
            n.put("stage", e.stage()).put("reason", e.reason());
            ObjectNode headers = n.putObject("headers");
            for (Header h : e.headers()) headers.put(h.key(), header(h));
            decoded(n.putObject("key"), decoder.decode(e.key()));
            decoded(n.putObject("value"), decoder.decode(e.value()));
        }
        return doc + System.lineSeparator();
    }

    static String replayText(List<DlqReplay> replays, boolean dryRun) {
        StringBuilder sb = new StringBuilder();
        for (DlqReplay r : replays) {
            String where = r.partition().isPresent()
                    ? r.target() + "-" + r.partition().getAsInt() + "@" + r.offset().getAsLong() : r.target();
            sb.append(String.format(Locale.ROOT, "%s %s -> %s  (stage=%s reason=%s)%n", dryRun ? "would send" : "sent",
                    r.entry().position(), where, r.entry().stage(), r.entry().reason()));
        }
        sb.append(String.format(Locale.ROOT, "%s %d entr%s%s%n", dryRun ? "dry run: would replay" : "replayed",
                replays.size(), replays.size() == 1 ? "y" : "ies", dryRun ? ", nothing sent" : ""));
        return sb.toString();
    }

    static String replayJson(List<DlqReplay> replays, boolean dryRun, ValueDecoder decoder) {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("dryRun", dryRun);
        ArrayNode sent = doc.putArray("sent");
        for (DlqReplay r : replays) {
            ObjectNode n = sent.addObject();
            n.put("from", r.entry().position()).put("to", r.target());
            if (r.partition().isPresent()) n.put("partition", r.partition().getAsInt());
            else n.putNull("partition");
            if (r.offset().isPresent()) n.put("offset", r.offset().getAsLong());
            else n.putNull("offset");
            decoded(n.putObject("key"), decoder.decode(r.entry().key()));
            decoded(n.putObject("value"), decoder.decode(r.entry().value()));
        }
        return doc + System.lineSeparator();
    }

    private static void decoded(ObjectNode n, ValueDecoder.Decoded d) {
        n.put("form", d.form().name().toLowerCase(Locale.ROOT));
        n.put("text", d.text());
    }

    private static String form(ValueDecoder.Decoded d) {
        return d.form().name().toLowerCase(Locale.ROOT);
    }

    private static String header(Header h) {
        return h.value() == null ? "null" : new String(h.value(), StandardCharsets.UTF_8);
    }
}

package io.sluice.backfill.ratelimit.internals;

import io.sluice.backfill.ratelimit.RateLimiterConfig;
import io.sluice.backfill.ratelimit.ReleaseLog;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * Binary form of {@link HostState} in the {@code ratelimit-hosts} store and its changelog. Internal
 * state, so no registry: a version byte, then fixed fields. The policy is not stored: a restored host
 * gets the policy the current configuration gives it, over its persisted release history, so a
 * restart never forgets what was released (no burst) yet a changed policy takes effect.
 */
public final class HostStateSerde implements Serde<HostState> {

    private static final byte VERSION = 1;

    private final RateLimiterConfig config;

    public HostStateSerde(RateLimiterConfig config) {
        this.config = config;
    }

    @Override
    public Serializer<HostState> serializer() {
        return (topic, s) -> s == null ? null : write(s);
    }

    @Override
    public Deserializer<HostState> deserializer() {
        return (topic, bytes) -> bytes == null ? null : read(topic, bytes);
    }

    private static byte[] write(HostState s) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(64 + 12 * s.limiter().log().size());
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            out.writeUTF(s.host());
            out.writeLong(s.head());
            out.writeLong(s.tail());
            out.writeDouble(s.limiter().pacing().tokens());
            out.writeLong(s.limiter().pacing().lastRefillAt());
            ReleaseLog log = s.limiter().log();
            out.writeLong(log.granularity());
            out.writeInt(log.size());
            for (int i = 0; i < log.size(); i++) {
                out.writeLong(log.instantAt(i));
                out.writeInt(log.countAt(i));
            }
            out.writeLong(s.pausedUntil());
            out.writeInt(s.budget());
            out.writeLong(s.budgetUntil());
            out.writeLong(s.lastHeadersAt());
            out.writeInt(s.consecutive429s());
            out.writeLong(s.last429At());
            Learned l = s.learned();
            out.writeLong(l.observedAt());
            writeNullableLong(out, l.limit() == null ? null : l.limit().longValue());
            writeNullableLong(out, l.remaining() == null ? null : l.remaining().longValue());
            writeNullableLong(out, l.resetAt());
            out.writeBoolean(l.policy() != null);
            if (l.policy() != null) out.writeUTF(l.policy());
        } catch (IOException e) {
            // only a string over 64 KiB can make DataOutputStream fail here
            throw new SerializationException("cannot write host state of " + s.host(), e);
        }
        return buffer.toByteArray();
    }

    private HostState read(String topic, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("host state in " + topic + " has format version " + version
                        + "; this build reads version " + VERSION);
            }
            String host = in.readUTF();
            long head = in.readLong();
            long tail = in.readLong();
            double tokens = in.readDouble();
            long lastRefillAt = in.readLong();
            long granularity = in.readLong();
            int entries = in.readInt();
            ReleaseLog log = ReleaseLog.restoring(Math.max(ReleaseLog.DEFAULT_MAX_ENTRIES, entries), granularity);
            for (int i = 0; i < entries; i++) log.record(in.readLong(), in.readInt());
            HostLimits limits = HostLimits.of(config, host);
            HostState s = new HostState(host, limits, limits.restoredLimiter(log, tokens, lastRefillAt));
            long pausedUntil = in.readLong();
            int budget = in.readInt();
            long budgetUntil = in.readLong();
            long lastHeadersAt = in.readLong();
            int consecutive429s = in.readInt();
            long last429At = in.readLong();
            long observedAt = in.readLong();
            Long limit = readNullableLong(in);
            Long remaining = readNullableLong(in);
            Long resetAt = readNullableLong(in);
            String policy = in.readBoolean() ? in.readUTF() : null;
            s.restore(head, tail, pausedUntil, budget, budgetUntil, lastHeadersAt, consecutive429s, last429At,
                    new Learned(limit == null ? null : limit.intValue(), remaining == null ? null : remaining.intValue(),
                            resetAt, policy, observedAt));
            return s;
        } catch (IOException | IllegalArgumentException e) {
            throw new SerializationException("corrupt host state in " + topic + " (" + bytes.length + " bytes)", e);
        }
    }

    private static void writeNullableLong(DataOutputStream out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) out.writeLong(value);
    }

    private static Long readNullableLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}

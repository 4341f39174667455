package io.sluice.backfill.ratelimit.internals;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Binary forms of the {@code ratelimit-queue} store's keys and values. Internal state, so no
 * registry: restoring a queue never depends on the registry being up. Keys are the host's UTF-8
 * bytes, a NUL, and the big-endian sequence, so a host's tasks sort together in queue order.
 */
public final class QueueSerdes {

    private static final byte VERSION = 1;

    private QueueSerdes() {
    }

    public static Serde<QueueKey> keys() {
        Serializer<QueueKey> ser = (topic, k) -> {
            if (k == null) return null;
            byte[] host = k.host().getBytes(StandardCharsets.UTF_8);
            return ByteBuffer.allocate(host.length + 9).put(host).put((byte) 0).putLong(k.sequence()).array();
        };
        Deserializer<QueueKey> de = (topic, bytes) -> {
            if (bytes == null) return null;
            if (bytes.length < 9 || bytes[bytes.length - 9] != 0) {
                throw new SerializationException("corrupt queue key in " + topic + " (" + bytes.length + " bytes)");
            }
            String host = new String(bytes, 0, bytes.length - 9, StandardCharsets.UTF_8);
            return new QueueKey(host, ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong());
        };
        return Serdes.serdeFrom(ser, de);
    }

    public static Serde<QueuedTask> values() {
        Serializer<QueuedTask> ser = (topic, t) -> t == null ? null : write(t);
        Deserializer<QueuedTask> de = (topic, bytes) -> bytes == null ? null : read(topic, bytes);
        return Serdes.serdeFrom(ser, de);
    }

    private static byte[] write(QueuedTask t) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream(128);
        try (DataOutputStream out = new DataOutputStream(buffer)) {
            out.writeByte(VERSION);
            out.writeUTF(t.did());
            out.writeUTF(t.pdsEndpoint());
            out.writeUTF(t.pdsHost());
            out.writeUTF(t.runId());
            out.writeInt(t.attempt());
            out.writeLong(t.enqueuedAt());
        } catch (IOException e) {
            // only a string over 64 KiB can make DataOutputStream fail here
            throw new SerializationException("cannot write queued task of " + t.did(), e);
        }
        return buffer.toByteArray();
    }

    private static QueuedTask read(String topic, byte[] bytes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            byte version = in.readByte();
            if (version != VERSION) {
                throw new SerializationException("queued task in " + topic + " has format version " + version
                        + "; this build reads version " + VERSION);
            }
            return new QueuedTask(in.readUTF(), in.readUTF(), in.readUTF(), in.readUTF(), in.readInt(), in.readLong());
        } catch (IOException e) {
            throw new SerializationException("corrupt queued task in " + topic + " (" + bytes.length + " bytes)", e);
        }
    }
}

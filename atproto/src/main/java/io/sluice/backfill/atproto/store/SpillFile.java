package io.sluice.backfill.atproto.store;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A temporary file that hands out zero-filled, memory-mapped regions of longs, for the parts of a
 * {@link BlockIndex} the {@link MemoryBudget} does not grant. Mapped pages live in the page
 * cache, not on the Java heap, so the operating system can write them out under pressure; that is
 * what lets an index of millions of blocks exist beside a small heap.
 *
 * <p>The file is created on the first request and opened DELETE_ON_CLOSE (unlinked at once on
 * POSIX systems), so not even a crash leaves it behind. Regions are never reused: a growing index
 * abandons its old table, which at most doubles the file. Java 21 cannot unmap a region before
 * the garbage collector drops its buffer, so after {@link #close} the disk blocks of a region stay
 * allocated until then; nothing reads them. Not thread-safe.
 */
final class SpillFile implements AutoCloseable {

    /** One mapping is limited to 2 GiB; stay well below it. */
    static final long MAX_REGION_LONGS = 1L << 27;

    private final Path dir;
    private FileChannel channel;
    private long end;

    SpillFile(Path dir) {
        this.dir = dir;
    }

    /** A new region of {@code longs} zeros, at most {@link #MAX_REGION_LONGS}. */
    LongBuffer map(long longs) throws IOException {
        if (longs > MAX_REGION_LONGS) throw new IllegalArgumentException("region of " + longs + " longs");
        if (channel == null) {
            Path path = Files.createTempFile(dir, "sluice-car-", ".index");
            channel = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
        }
        long bytes = longs * Long.BYTES;
        // Mapping past the end grows the file with zeros, which is what an empty index table is.
        LongBuffer region = channel.map(FileChannel.MapMode.READ_WRITE, end, bytes).order(ByteOrder.nativeOrder())
                .asLongBuffer();
        end += bytes;
        return region;
    }

    /** Bytes of the file so far. */
    long bytes() {
        return end;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}

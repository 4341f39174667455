package io.sluice.backfill.fetch;

import io.sluice.backfill.atproto.cid.Cid;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The verified blocks of one repository download, for the random access the MST walk needs.
 *
 * <p>Why not a map of byte arrays: blocks arrive in no guaranteed order (the simulator, like many
 * PDSes, sends records before the tree nodes that name them), so nothing can be emitted before the
 * whole CAR is in, and a 200 MB repository held as {@code HashMap<Cid, byte[]>} costs well over
 * 300 MB of heap. Here the bytes go into 1 MiB chunks while the shared {@link MemoryBudget} grants
 * them, and into a temporary file once it does not (opened DELETE_ON_CLOSE, which on POSIX systems
 * unlinks it at once, so not even a crash leaves it behind); the {@link BlockIndex} keeps
 * some 30 bytes per block on the heap. Heap use is therefore the budget (shared by all downloads)
 * plus the index, whatever the repository's size; the file is read back through the page cache.
 *
 * <p>Each entry is stored as {@code <cid bytes><data>}, so a lookup can confirm the CID. Consumes
 * blocks already checked against their CID; produces copies of their bytes. Not thread-safe: one
 * download, one thread.
 */
final class BlockStore implements AutoCloseable {

    static final int CHUNK_BYTES = 1 << 20;
    private static final int WRITE_BUFFER_BYTES = 256 * 1024;
    private static final int MAX_CID_BYTES = 100;

    private final MemoryBudget budget;
    private final Path spillDir;
    private final BlockIndex index = new BlockIndex();
    private final List<byte[]> chunks = new ArrayList<>();
    private final byte[] cidScratch = new byte[MAX_CID_BYTES];
    private long reserved;
    private int chunkPos;
    private FileChannel file;
    private ByteBuffer writeBuffer;
    private long fileEnd;
    private long flushedEnd;

    BlockStore(MemoryBudget budget, Path spillDir) {
        this.budget = budget;
        this.spillDir = spillDir;
    }

    /** Stores {@code data} under {@code cid}; false when the CID is already stored (a duplicate section). */
    boolean put(Cid cid, byte[] data) throws IOException {
        int cidLength = cid.copyTo(cidScratch, 0);
        long fingerprint = index.fingerprint(cidScratch, cidLength);
        if (index.find(fingerprint, cidLength, id -> sameCid(id, cidLength)) >= 0) return false;
        int entry = cidLength + data.length;
        long location = inMemory(entry)
                ? writeChunk(cidLength, data)
                : writeFile(cidLength, data);
        index.add(fingerprint, cidLength, location, data.length);
        return true;
    }

    /** A copy of the block's bytes, or null when absent. I/O errors of the spill file are unchecked. */
    byte[] get(Cid cid) {
        int cidLength = cid.copyTo(cidScratch, 0);
        long fingerprint = index.fingerprint(cidScratch, cidLength);
        int id = index.find(fingerprint, cidLength, i -> sameCid(i, cidLength));
        if (id < 0) return null;
        long location = index.location(id);
        int length = index.length(id);
        if (location >= 0) {
            int pos = (int) location + cidLength;
            return Arrays.copyOfRange(chunks.get((int) (location >>> 32)), pos, pos + length);
        }
        byte[] data = new byte[length];
        readFile(-location - 1 + cidLength, data);
        return data;
    }

    int blocks() {
        return index.size();
    }

    /** Heap bytes held: reserved chunks plus the index. */
    long heapBytes() {
        return reserved + index.footprint();
    }

    long spilledBytes() {
        return fileEnd;
    }

    @Override
    public void close() throws IOException {
        chunks.clear();
        budget.release(reserved);
        reserved = 0;
        if (file != null) file.close();
    }

    private boolean inMemory(int entry) {
        if (!chunks.isEmpty() && entry <= chunks.getLast().length - chunkPos) return true;
        int size = Math.max(CHUNK_BYTES, entry);
        if (!budget.tryReserve(size)) return false;
        reserved += size;
        chunks.add(new byte[size]);
        chunkPos = 0;
        return true;
    }

    private long writeChunk(int cidLength, byte[] data) {
        byte[] chunk = chunks.getLast();
        long location = ((long) (chunks.size() - 1) << 32) | chunkPos;
        System.arraycopy(cidScratch, 0, chunk, chunkPos, cidLength);
        System.arraycopy(data, 0, chunk, chunkPos + cidLength, data.length);
        chunkPos += cidLength + data.length;
        return location;
    }

    private long writeFile(int cidLength, byte[] data) throws IOException {
        if (file == null) {
            Path path = Files.createTempFile(spillDir, "sluice-car-", ".blocks");
            file = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE,
                    StandardOpenOption.DELETE_ON_CLOSE);
            writeBuffer = ByteBuffer.allocate(WRITE_BUFFER_BYTES);
        }
        long location = -fileEnd - 1;
        if (cidLength + data.length > writeBuffer.remaining()) flush();
        if (cidLength + data.length > writeBuffer.remaining()) {
            writeFully(ByteBuffer.wrap(cidScratch, 0, cidLength));
            writeFully(ByteBuffer.wrap(data));
        } else {
            writeBuffer.put(cidScratch, 0, cidLength).put(data);
        }
        fileEnd += cidLength + data.length;
        return location;
    }

    private void flush() throws IOException {
        writeBuffer.flip();
        writeFully(writeBuffer);
        writeBuffer.clear();
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) flushedEnd += file.write(buffer, flushedEnd);
    }

    private void readFile(long offset, byte[] into) {
        try {
            if (offset + into.length > flushedEnd) flush();
            ByteBuffer buffer = ByteBuffer.wrap(into);
            while (buffer.hasRemaining()) {
                if (file.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException("spill file ends before byte " + (offset + into.length));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the block spill file failed", e);
        }
    }

    private boolean sameCid(int id, int cidLength) {
        long location = index.location(id);
        if (location >= 0) {
            int pos = (int) location;
            return Arrays.equals(chunks.get((int) (location >>> 32)), pos, pos + cidLength, cidScratch, 0, cidLength);
        }
        byte[] stored = new byte[cidLength];
        readFile(-location - 1, stored);
        return Arrays.equals(stored, 0, cidLength, cidScratch, 0, cidLength);
    }
}

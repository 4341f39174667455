package io.sluice.backfill.atproto.store;

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
 * The verified blocks of one repository CAR, for the random access the MST walk needs: the one
 * block store of the fetcher and of {@code inspect-car}.
 *
 * <p>Why not a map of byte arrays: blocks arrive in no guaranteed order (the simulator, like many
 * PDSes, sends records before the tree nodes that name them), so nothing can be emitted before the
 * whole CAR is in, and a 200 MB repository held as {@code HashMap<Cid, byte[]>} costs well over
 * 300 MB of heap. Here the bytes go into 1 MiB chunks while the shared {@link MemoryBudget} grants
 * them, and into a temporary file once it does not (opened DELETE_ON_CLOSE, which on POSIX systems
 * unlinks it at once, so not even a crash leaves it behind); the {@link BlockIndex} takes its heap
 * from the same budget and spills the same way. Heap use is therefore the budget (shared by all
 * stores) plus a few fixed buffers, whatever the repository's size or block count; the files are
 * read back through the page cache.
 *
 * <p>Each entry is stored as {@code <cid length: 1 byte><data length: 4 bytes><cid bytes><data>},
 * so the index needs only a location and a lookup can confirm the CID. Consumes blocks already
 * checked against their CID; produces copies of their bytes. Not thread-safe: one CAR, one thread.
 */
public final class BlockStore implements AutoCloseable {

    public static final int CHUNK_BYTES = 1 << 20;
    private static final int WRITE_BUFFER_BYTES = 256 * 1024;
    private static final int MAX_CID_BYTES = 100;
    private static final int HEADER_BYTES = 5;

    private final MemoryBudget budget;
    private final Path spillDir;
    private final SpillFile indexFile;
    private final BlockIndex index;
    private final List<byte[]> chunks = new ArrayList<>();
    private final byte[] cidScratch = new byte[MAX_CID_BYTES];
    private final byte[] entryScratch = new byte[HEADER_BYTES + MAX_CID_BYTES];
    private long reserved;
    private int chunkPos;
    private FileChannel file;
    private ByteBuffer writeBuffer;
    private long fileEnd;
    private long flushedEnd;

    /** An empty store taking heap from {@code budget} and spilling to temporary files in {@code spillDir}. */
    public BlockStore(MemoryBudget budget, Path spillDir) throws IOException {
        this.budget = budget;
        this.spillDir = spillDir;
        this.indexFile = new SpillFile(spillDir);
        this.index = new BlockIndex(budget, indexFile);
    }

    /** Stores {@code data} under {@code cid}; false when the CID is already stored (a duplicate section). */
    public boolean put(Cid cid, byte[] data) throws IOException {
        int cidLength = cid.copyTo(cidScratch, 0);
        long fingerprint = index.fingerprint(cidScratch, cidLength);
        if (index.find(fingerprint, at -> sameCid(at, cidLength)) != BlockIndex.ABSENT) return false;
        int entry = HEADER_BYTES + cidLength + data.length;
        long location = inMemory(entry)
                ? writeChunk(cidLength, data)
                : writeFile(cidLength, data);
        index.add(fingerprint, location);
        return true;
    }

    /** A copy of the block's bytes, or null when absent. I/O errors of the spill files are unchecked. */
    public byte[] get(Cid cid) {
        int cidLength = cid.copyTo(cidScratch, 0);
        long fingerprint = index.fingerprint(cidScratch, cidLength);
        long location = index.find(fingerprint, at -> sameCid(at, cidLength));
        if (location == BlockIndex.ABSENT) return null;
        if (location >= 0) {
            byte[] chunk = chunks.get((int) (location >>> 32));
            int pos = (int) location;
            int length = readInt(chunk, pos + 1);
            int start = pos + HEADER_BYTES + cidLength;
            return Arrays.copyOfRange(chunk, start, start + length);
        }
        long offset = -location - 1;
        readFile(offset, entryScratch, HEADER_BYTES);
        byte[] data = new byte[readInt(entryScratch, 1)];
        readFile(offset + HEADER_BYTES + cidLength, data, data.length);
        return data;
    }

    /** Distinct blocks stored. */
    public long blocks() {
        return index.size();
    }

    /** Heap bytes held: reserved chunks plus the index's heap pages, all from the budget. */
    public long heapBytes() {
        return reserved + index.heapBytes();
    }

    /** Bytes of block entries written to the spill file (index pages not included). */
    public long spilledBytes() {
        return fileEnd;
    }

    @Override
    public void close() throws IOException {
        chunks.clear();
        budget.release(reserved);
        reserved = 0;
        index.close();
        try {
            indexFile.close();
        } finally {
            if (file != null) file.close();
        }
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
        writeHeader(chunk, chunkPos, cidLength, data.length);
        System.arraycopy(cidScratch, 0, chunk, chunkPos + HEADER_BYTES, cidLength);
        System.arraycopy(data, 0, chunk, chunkPos + HEADER_BYTES + cidLength, data.length);
        chunkPos += HEADER_BYTES + cidLength + data.length;
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
        int entry = HEADER_BYTES + cidLength + data.length;
        writeHeader(entryScratch, 0, cidLength, data.length);
        System.arraycopy(cidScratch, 0, entryScratch, HEADER_BYTES, cidLength);
        if (entry > writeBuffer.remaining()) flush();
        if (entry > writeBuffer.remaining()) {
            writeFully(ByteBuffer.wrap(entryScratch, 0, HEADER_BYTES + cidLength));
            writeFully(ByteBuffer.wrap(data));
        } else {
            writeBuffer.put(entryScratch, 0, HEADER_BYTES + cidLength).put(data);
        }
        fileEnd += entry;
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

    private void readFile(long offset, byte[] into, int length) {
        try {
            if (offset + length > flushedEnd) flush();
            ByteBuffer buffer = ByteBuffer.wrap(into, 0, length);
            while (buffer.hasRemaining()) {
                if (file.read(buffer, offset + buffer.position()) < 0) {
                    throw new IOException("spill file ends before byte " + (offset + length));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading the block spill file failed", e);
        }
    }

    /** Whether the entry at {@code location} holds the CID in {@link #cidScratch}. */
    private boolean sameCid(long location, int cidLength) {
        if (location >= 0) {
            byte[] chunk = chunks.get((int) (location >>> 32));
            int pos = (int) location;
            return chunk[pos] == cidLength
                    && Arrays.equals(chunk, pos + HEADER_BYTES, pos + HEADER_BYTES + cidLength, cidScratch, 0, cidLength);
        }
        long offset = -location - 1;
        // A colliding entry with a shorter CID may end before HEADER_BYTES + cidLength: read only what exists.
        int n = (int) Math.min(HEADER_BYTES + cidLength, fileEnd - offset);
        readFile(offset, entryScratch, n);
        return n == HEADER_BYTES + cidLength && entryScratch[0] == cidLength
                && Arrays.equals(entryScratch, HEADER_BYTES, HEADER_BYTES + cidLength, cidScratch, 0, cidLength);
    }

    private static void writeHeader(byte[] into, int at, int cidLength, int dataLength) {
        into[at] = (byte) cidLength;
        into[at + 1] = (byte) (dataLength >>> 24);
        into[at + 2] = (byte) (dataLength >>> 16);
        into[at + 3] = (byte) (dataLength >>> 8);
        into[at + 4] = (byte) dataLength;
    }

    private static int readInt(byte[] from, int at) {
        return (from[at] & 0xff) << 24 | (from[at + 1] & 0xff) << 16 | (from[at + 2] & 0xff) << 8 | (from[at + 3] & 0xff);
    }
}

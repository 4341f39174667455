package io.sluice.backfill.atproto.store;

import io.sluice.backfill.atproto.cid.Cid;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

class BlockStoreTest {

    @TempDir
    Path dir;

    @Test
    void blocksWithinTheBudgetStayOnTheHeap() throws IOException {
        MemoryBudget budget = new MemoryBudget(8L * BlockStore.CHUNK_BYTES);
        try (BlockStore store = new BlockStore(budget, dir)) {
            List<byte[]> blocks = blocks(2_000, 300, 1);
            for (byte[] b : blocks) assertThat(store.put(cid(b), b)).isTrue();

            for (byte[] b : blocks) assertThat(store.get(cid(b))).isEqualTo(b);
            assertThat(store.spilledBytes()).isZero();
            assertThat(store.blocks()).isEqualTo(2_000);
            assertThat(budget.available()).isLessThan(budget.capacity());
        }
        assertThat(budget.available()).isEqualTo(budget.capacity());
    }

    @Test
    void blocksBeyondTheBudgetSpillToAnUnlinkedTempFile() throws IOException {
        MemoryBudget budget = new MemoryBudget(BlockStore.CHUNK_BYTES); // one chunk for everyone
        List<byte[]> blocks = blocks(20_000, 200, 2); // ~4.6 MB with CIDs
        blocks.add(new byte[3 * BlockStore.CHUNK_BYTES]); // larger than a chunk and than the write buffer
        blocks.getLast()[7] = 7;
        try (BlockStore store = new BlockStore(budget, dir)) {
            for (byte[] b : blocks) store.put(cid(b), b);

            assertThat(store.spilledBytes()).isGreaterThan(3L * BlockStore.CHUNK_BYTES);
            assertThat(budget.available()).as("what the index left is less than a chunk").isLessThan(BlockStore.CHUNK_BYTES);
            try (var files = Files.list(dir)) {
                assertThat(files.count()).as("unlinked while open, so a crash leaves nothing behind").isZero();
            }
            // random order, as the MST walk reads
            for (int i = blocks.size() - 1; i >= 0; i -= 7) assertThat(store.get(cid(blocks.get(i)))).isEqualTo(blocks.get(i));
            assertThat(store.get(cid(blocks.getLast()))).isEqualTo(blocks.getLast());
            assertThat(store.heapBytes()).isLessThanOrEqualTo(budget.capacity()); // the index shares the budget
        }
        assertThat(budget.available()).isEqualTo(budget.capacity());
        try (var files = Files.list(dir)) {
            assertThat(files.count()).isZero();
        }
    }

    @Test
    void duplicatesAreStoredOnceAndUnknownCidsAreAbsent() throws IOException {
        byte[] a = "a block".getBytes(StandardCharsets.UTF_8);
        try (BlockStore store = new BlockStore(new MemoryBudget(0), dir)) { // everything spills
            assertThat(store.put(cid(a), a)).isTrue();
            assertThat(store.put(cid(a), a)).isFalse();
            assertThat(store.blocks()).isEqualTo(1);
            assertThat(store.get(cid("another".getBytes(StandardCharsets.UTF_8)))).isNull();
            assertThat(store.get(Cid.of(Cid.RAW, a))).as("same bytes, other codec").isNull();
            assertThat(store.get(cid(a))).isEqualTo(a);
        }
    }

    @Test
    void theIndexFindsEveryEntryThroughManyResizes() throws IOException {
        MemoryBudget budget = new MemoryBudget(1 << 20);
        try (SpillFile spill = new SpillFile(dir)) {
            BlockIndex index = new BlockIndex(budget, spill);
            List<byte[]> cids = new ArrayList<>();
            for (byte[] b : blocks(50_000, 64, 3)) cids.add(cid(b).toBytes());
            for (int i = 0; i < cids.size(); i++) {
                byte[] c = cids.get(i);
                index.add(index.fingerprint(c, c.length), i);
            }
            for (int i = 0; i < cids.size(); i++) {
                byte[] c = cids.get(i);
                long location = i;
                assertThat(index.find(index.fingerprint(c, c.length), candidate -> candidate == location)).isEqualTo(i);
            }
            byte[] other = cid(new byte[] {1, 2, 3}).toBytes();
            assertThat(index.find(index.fingerprint(other, other.length), candidate -> true)).isEqualTo(BlockIndex.ABSENT);
            assertThat(index.heapBytes()).as("no more heap than the budget").isLessThanOrEqualTo(budget.capacity());
            assertThat(spill.bytes()).as("the rest is mapped from the spill file").isPositive();
            index.close();
        }
        assertThat(budget.available()).isEqualTo(budget.capacity());
    }

    @Test
    void millionsOfTinyBlocksNeedNoMoreHeapThanTheBudget() throws IOException {
        MemoryBudget budget = new MemoryBudget(4L * BlockStore.CHUNK_BYTES);
        int n = 1_000_000;
        try (BlockStore store = new BlockStore(budget, dir)) {
            byte[] b = new byte[3];
            for (int i = 0; i < n; i++) {
                b[0] = (byte) i; b[1] = (byte) (i >>> 8); b[2] = (byte) (i >>> 16);
                assertThat(store.put(Cid.of(Cid.RAW, b), b)).isTrue();
            }
            assertThat(store.blocks()).isEqualTo(n);
            assertThat(store.heapBytes()).isLessThanOrEqualTo(budget.capacity());
            for (int i = 0; i < n; i += 997) {
                b[0] = (byte) i; b[1] = (byte) (i >>> 8); b[2] = (byte) (i >>> 16);
                assertThat(store.get(Cid.of(Cid.RAW, b))).isEqualTo(b);
            }
        }
        assertThat(budget.available()).isEqualTo(budget.capacity());
    }

    private static Cid cid(byte[] data) {
        return Cid.of(Cid.DAG_CBOR, data);
    }

    private static List<byte[]> blocks(int n, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] b = new byte[16 + random.nextInt(size)];
            random.nextBytes(b);
            out.add(b);
        }
        return out;
    }
}

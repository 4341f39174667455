package io.sluice.backfill.atproto.store;

import java.io.IOException;
import java.nio.LongBuffer;
import java.util.Arrays;

/**
 * A fixed-length array of longs, zero-filled, in pages of up to 1 MiB: each page on the heap when
 * the {@link MemoryBudget} grants it, else in a {@link SpillFile} region. So an array's heap use
 * is what the budget allowed, whatever its length. Not thread-safe.
 */
final class LongPages {

    static final int PAGE_SHIFT = 17;
    static final int PAGE_LONGS = 1 << PAGE_SHIFT;
    private static final int MASK = PAGE_LONGS - 1;

    private final long length;
    private final long[][] heap;
    private final LongBuffer[] mapped;
    private long reserved;

    LongPages(long length, MemoryBudget budget, SpillFile spill) throws IOException {
        this.length = length;
        int pages = (int) ((length + MASK) >>> PAGE_SHIFT);
        this.heap = new long[pages][];
        this.mapped = new LongBuffer[pages];
        for (int p = 0; p < pages; p++) {
            int longs = (int) Math.min(PAGE_LONGS, length - ((long) p << PAGE_SHIFT));
            if (budget.tryReserve((long) longs * Long.BYTES)) {
                heap[p] = new long[longs];
                reserved += (long) longs * Long.BYTES;
            } else {
                mapRest(p, spill);
                break;
            }
        }
    }

    /** Maps every page from {@code first} on in as few regions as possible: mappings are a limited resource. */
    private void mapRest(int first, SpillFile spill) throws IOException {
        long start = (long) first << PAGE_SHIFT;
        while (start < length) {
            long longs = Math.min(length - start, SpillFile.MAX_REGION_LONGS);
            LongBuffer region = spill.map(longs);
            for (long at = 0; at < longs; at += PAGE_LONGS) {
                int size = (int) Math.min(PAGE_LONGS, longs - at);
                mapped[(int) ((start + at) >>> PAGE_SHIFT)] = region.slice((int) at, size);
            }
            start += longs;
        }
    }

    long get(long i) {
        int p = (int) (i >>> PAGE_SHIFT);
        long[] page = heap[p];
        return page != null ? page[(int) i & MASK] : mapped[p].get((int) i & MASK);
    }

    void set(long i, long value) {
        int p = (int) (i >>> PAGE_SHIFT);
        long[] page = heap[p];
        if (page != null) {
            page[(int) i & MASK] = value;
        } else {
            mapped[p].put((int) i & MASK, value);
        }
    }

    long length() {
        return length;
    }

    /** Heap bytes of the pages held on the heap, all reserved from the budget. */
    long heapBytes() {
        return reserved;
    }

    /** Drops the pages and returns their heap to {@code budget}; the array is unusable afterwards. */
    void release(MemoryBudget budget) {
        Arrays.fill(heap, null);
        Arrays.fill(mapped, null);
        budget.release(reserved);
        reserved = 0;
    }
}

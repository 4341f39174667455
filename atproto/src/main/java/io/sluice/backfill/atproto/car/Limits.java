package io.sluice.backfill.atproto.car;

/**
 * How large a CAR, and a block in it, the parser accepts. A repository's blocks arrive in no
 * guaranteed order and the MST walk needs random access to them, so every block is kept until the
 * walk ends; the {@code BlockStore} keeps them within a heap budget and spills the rest, index
 * included, to disk. So these limits bound disk use and time, and {@code maxBlockBytes} the few
 * blocks and records held at once; heap use is the store's budget, not a function of these.
 *
 * @param maxBlockBytes largest block payload (and header) accepted; atproto records are at most
 *                      1 MiB, MST nodes far smaller
 * @param maxTotalBytes largest CAR accepted, header included
 * @param maxBlocks     most blocks accepted in one CAR: bounds the spilled index and the walk's time
 *                      where a CAR of tiny blocks would otherwise be bounded only by its size
 */
public record Limits(int maxBlockBytes, long maxTotalBytes, long maxBlocks) {

    /** The names error messages give the limits, so that a tool can say which option raises one. */
    public static final String MAX_BLOCK_BYTES = "maxBlockBytes";
    public static final String MAX_TOTAL_BYTES = "maxTotalBytes";
    public static final String MAX_BLOCKS = "maxBlocks";

    /**
     * 10 million: more than a 256 MiB CAR can hold (a block is at least some 38 bytes with its CID), so by
     * default, as in the reference implementation, the size alone decides; lower it to bound a CAR's blocks.
     */
    public static final long DEFAULT_MAX_BLOCKS = 10_000_000;

    /** 2 MiB blocks, 256 MiB repositories: room for the largest real accounts. */
    public static final Limits DEFAULT = new Limits(2 * 1024 * 1024, 256L * 1024 * 1024);

    /** With the default {@link #DEFAULT_MAX_BLOCKS}. */
    public Limits(int maxBlockBytes, long maxTotalBytes) {
        this(maxBlockBytes, maxTotalBytes, DEFAULT_MAX_BLOCKS);
    }

    public Limits {
        if (maxBlocks <= 0) {
            throw new IllegalArgumentException("maxBlocks must be positive, got " + maxBlocks);
        }
        if (maxBlockBytes <= 0) {
            throw new IllegalArgumentException("maxBlockBytes must be positive, got " + maxBlockBytes);
        }
        if (maxTotalBytes < maxBlockBytes) {
            throw new IllegalArgumentException("maxTotalBytes (" + maxTotalBytes + ") must be at least maxBlockBytes ("
                    + maxBlockBytes + ")");
        }
    }
}

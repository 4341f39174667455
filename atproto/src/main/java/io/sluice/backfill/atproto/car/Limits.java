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
 */
public record Limits(int maxBlockBytes, long maxTotalBytes) {

    /** The names error messages give the limits, so that a tool can say which option raises one. */
    public static final String MAX_BLOCK_BYTES = "maxBlockBytes";
    public static final String MAX_TOTAL_BYTES = "maxTotalBytes";

    /** 2 MiB blocks, 256 MiB repositories: room for the largest real accounts. */
    public static final Limits DEFAULT = new Limits(2 * 1024 * 1024, 256L * 1024 * 1024);

    public Limits {
        if (maxBlockBytes <= 0) {
            throw new IllegalArgumentException("maxBlockBytes must be positive, got " + maxBlockBytes);
        }
        if (maxTotalBytes < maxBlockBytes) {
            throw new IllegalArgumentException("maxTotalBytes (" + maxTotalBytes + ") must be at least maxBlockBytes ("
                    + maxBlockBytes + ")");
        }
    }
}

package io.sluice.backfill.atproto.car;

/**
 * How much of a CAR the parser will hold in memory. A repository's blocks arrive in no guaranteed
 * order and the MST walk needs random access to them, so every block is kept until the walk ends:
 * heap use is about {@code maxTotalBytes} plus some 150 bytes of bookkeeping per block. Bounding
 * the CAR's size therefore bounds memory by a setting, not by whatever a PDS sends.
 *
 * @param maxBlockBytes largest block payload (and header) accepted; atproto records are at most
 *                      1 MiB, MST nodes far smaller
 * @param maxTotalBytes largest CAR accepted, header included
 */
public record Limits(int maxBlockBytes, long maxTotalBytes) {

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

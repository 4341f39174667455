package io.sluice.stack.fault;

/**
 * What a workload's equality check found at the end of a fault run: expected items absent (lost) and
 * items present more often than expected (duplicated). Both zero is the guarantee.
 */
public record Losses(long lost, long duplicated) {

    public static final Losses NONE = new Losses(0, 0);

    public boolean none() {
        return lost == 0 && duplicated == 0;
    }
}

package io.sluice.backfill.atproto.car;

import io.sluice.backfill.atproto.AtprotoFormatException;
import io.sluice.backfill.atproto.car.CarFormatException.Reason;
import io.sluice.backfill.atproto.cbor.DagCborDecoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.cid.Varint;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Streams a CARv1 file (ipld.io/specs/transport/car/carv1): a varint-length-prefixed DAG-CBOR
 * header {@code {version: 1, roots: [cid...]}}, then block sections {@code <varint length><CID><data>}.
 *
 * <p>Consumes an {@link InputStream}, which it neither closes nor reads past the last block;
 * produces the roots and one {@link CarBlock} per {@link #next()} call. Guarantees: every block's
 * payload is hashed and compared with its CID ({@link CarBlock#verified()}, {@link #badCids()});
 * nothing larger than {@link Limits#maxBlockBytes()} is ever allocated and nothing past
 * {@link Limits#maxTotalBytes()} is read, both checked before reading the payload; a stream cut
 * short throws a {@link CarFormatException} naming the byte offset. Not thread-safe.
 */
public final class CarReader {

    /** CIDv1 with a 64-byte digest and multi-byte codec fits easily; CIDs are 36 bytes in practice. */
    private static final int MAX_CID_BYTES = 4 * 9 + 64;
    /** Block index that stands for the header in error messages. */
    private static final long HEADER = -1;

    private final CarInput in;
    private final Limits limits;
    private final List<Cid> roots;
    private final byte[] cidBytes = new byte[MAX_CID_BYTES];
    private long blocks;
    private long badCids;

    /** Reads and checks the header; blocks follow through {@link #next()}. */
    public CarReader(InputStream stream, Limits limits) throws IOException {
        this.in = new CarInput(stream);
        this.limits = limits;
        this.roots = readHeader();
    }

    public List<Cid> roots() {
        return roots;
    }

    /** Blocks read so far, including those whose CID did not match. */
    public long blocks() {
        return blocks;
    }

    /** Blocks read so far whose payload does not hash to their CID. */
    public long badCids() {
        return badCids;
    }

    /** Bytes consumed from the stream so far. */
    public long bytesRead() {
        return in.offset();
    }

    /** The next block, or {@code null} at the end of the stream. */
    public CarBlock next() throws IOException {
        if (in.atEnd()) {
            return null;
        }
        long start = in.offset();
        long index = blocks;
        if (index >= limits.maxBlocks()) {
            throw new CarFormatException(Reason.LIMIT_EXCEEDED, start, "CAR has more blocks than the limit " + Limits.MAX_BLOCKS
                    + "=" + limits.maxBlocks() + ": block " + index + " starts at byte offset " + start);
        }
        long sectionLength = in.readVarint("length", index, null, 0);
        checkTotal(sectionLength, index);
        if (sectionLength == 0) {
            throw new CarFormatException(Reason.MALFORMED, start, "block " + index + " at byte offset " + start + " has length 0");
        }
        long cidStart = in.offset();
        int cidLength = readCid(index);
        Cid cid;
        try {
            cid = Cid.read(cidBytes, 0, cidLength);
        } catch (AtprotoFormatException e) {
            throw new CarFormatException(Reason.MALFORMED, cidStart,
                    "block " + index + " has an invalid CID at byte offset " + cidStart + ": " + e.getMessage(), e);
        }
        long dataLength = sectionLength - cidLength;
        if (dataLength < 0) {
            throw new CarFormatException(Reason.MALFORMED, start, "block " + index + " at byte offset " + start
                    + " declares " + sectionLength + " bytes, fewer than its " + cidLength + "-byte CID");
        }
        if (dataLength > limits.maxBlockBytes()) {
            throw new CarFormatException(Reason.LIMIT_EXCEEDED, start, "block " + index + " (" + cid + ") at byte offset " + start
                    + " is " + dataLength + " bytes, over the limit " + Limits.MAX_BLOCK_BYTES + "=" + limits.maxBlockBytes());
        }
        byte[] data = new byte[(int) dataLength];
        in.readFully(data, 0, data.length, "data", index);
        boolean verified = verify(cid, data, index, start);
        blocks++;
        if (!verified) {
            badCids++;
        }
        return new CarBlock(cid, data, verified, start);
    }

    private List<Cid> readHeader() throws IOException {
        long length = in.readVarint("length", HEADER, null, 0);
        if (length == 0 || length > limits.maxBlockBytes()) {
            throw new CarFormatException(length == 0 ? Reason.MALFORMED : Reason.LIMIT_EXCEEDED, 0,
                    "CAR header length " + length + " is " + (length == 0 ? "zero" : "over the limit " + Limits.MAX_BLOCK_BYTES + "="
                            + limits.maxBlockBytes()));
        }
        checkTotal(length, HEADER);
        byte[] header = new byte[(int) length];
        long start = in.offset();
        in.readFully(header, 0, header.length, "", HEADER);
        Map<String, Object> map;
        try {
            map = DagCborDecoder.decodeMap(header);
        } catch (AtprotoFormatException e) {
            throw new CarFormatException(Reason.MALFORMED, start, "CAR header is not a DAG-CBOR map: " + e.getMessage(), e);
        }
        Object version = map.get("version");
        if (!Long.valueOf(1).equals(version)) {
            throw new CarFormatException(Reason.MALFORMED, start, "unsupported CAR version " + version
                    + " (only CARv1 is supported; getRepo serves CARv1)");
        }
        if (!(map.get("roots") instanceof List<?> list)) {
            throw new CarFormatException(Reason.MALFORMED, start, "CAR header has no 'roots' array");
        }
        List<Cid> cids = new ArrayList<>(list.size());
        for (Object root : list) {
            if (!(root instanceof Cid cid)) {
                throw new CarFormatException(Reason.MALFORMED, start, "CAR header root " + root + " is not a CID link");
            }
            cids.add(cid);
        }
        return List.copyOf(cids);
    }

    /** Reads a binary CID from the stream into {@link #cidBytes}, field by field; returns its length. */
    private int readCid(long index) throws IOException {
        String what = "CID";
        int first = in.readByte(what, index);
        cidBytes[0] = (byte) first;
        if (first == Cid.SHA2_256) { // CIDv0: a bare sha2-256 multihash, 0x12 0x20 + 32 bytes
            in.readFully(cidBytes, 1, 33, what, index);
            return 34;
        }
        if (first != 1) {
            throw new CarFormatException(Reason.MALFORMED, in.offset() - 1, CarInput.describe(what, index)
                    + " has unsupported version " + first + " at byte offset " + (in.offset() - 1));
        }
        int n = 1;
        for (int field = 0; field < 3; field++) { // codec, multihash code, digest length
            long value = in.readVarint(what, index, cidBytes, n);
            n += Varint.size(value);
            if (field == 2) {
                if (value > MAX_CID_BYTES - n) {
                    throw new CarFormatException(Reason.MALFORMED, in.offset(), CarInput.describe(what, index)
                            + " declares a " + value + "-byte digest, at byte offset " + in.offset());
                }
                in.readFully(cidBytes, n, (int) value, what, index);
                n += (int) value;
            }
        }
        return n;
    }

    private boolean verify(Cid cid, byte[] data, long index, long start) {
        try {
            return cid.matches(data, 0, data.length);
        } catch (AtprotoFormatException e) {
            throw new CarFormatException(Reason.MALFORMED, start, "block " + index + " at byte offset " + start + ": " + e.getMessage(), e);
        }
    }

    private void checkTotal(long sectionLength, long index) {
        long end = in.offset() + sectionLength;
        if (sectionLength > limits.maxTotalBytes() || end > limits.maxTotalBytes()) {
            throw new CarFormatException(Reason.LIMIT_EXCEEDED, in.offset(), "CAR is larger than the limit " + Limits.MAX_TOTAL_BYTES + "="
                    + limits.maxTotalBytes() + ": " + (index == HEADER ? "the header" : "block " + index)
                    + " would end at byte offset " + end);
        }
    }
}

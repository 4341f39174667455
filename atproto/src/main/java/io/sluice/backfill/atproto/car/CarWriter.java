package io.sluice.backfill.atproto.car;

import io.sluice.backfill.atproto.cbor.CborWriter;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.cid.Varint;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes a CARv1 stream: a length-prefixed DAG-CBOR header {@code {version: 1, roots}}, then
 * length-prefixed {@code <binary CID><block>} sections, in the order given.
 *
 * <p>Consumes blocks (it is a {@link BlockSink}) and produces bytes on an {@link OutputStream},
 * unbuffered beyond one varint, so wrap slow streams in a buffer. Guarantees nothing about the
 * blocks themselves: a CID is written as given, so tests can also write broken CARs with
 * {@link #rawHeader} and {@link #section}. {@link #headerLength} and {@link #sectionLength} give
 * sizes up front, for a {@code Content-Length} before streaming.
 */
public final class CarWriter implements BlockSink {

    private final OutputStream out;
    private final byte[] varint = new byte[Varint.MAX_BYTES];
    private byte[] cidScratch = new byte[64];
    private long written;

    /** Writes nothing yet: call {@link #header} or {@link #rawHeader} first. */
    public CarWriter(OutputStream out) {
        this.out = out;
    }

    /** The canonical DAG-CBOR header {@code {roots: [...], version: 1}}, without its length prefix. */
    public static byte[] headerBytes(List<Cid> roots) {
        CborWriter w = new CborWriter(64 + 40 * roots.size());
        w.mapHeader(2).text("roots").arrayHeader(roots.size()); // "roots" sorts before "version": shorter
        for (Cid root : roots) {
            w.link(root);
        }
        w.text("version").integer(1);
        return w.toByteArray();
    }

    /** Bytes {@link #header} writes for {@code roots}, length prefix included. */
    public static long headerLength(List<Cid> roots) {
        int n = headerBytes(roots).length;
        return Varint.size(n) + n;
    }

    /** Bytes one section takes, length prefix included. */
    public static long sectionLength(int cidLength, int dataLength) {
        long n = (long) cidLength + dataLength;
        return Varint.size(n) + n;
    }

    public CarWriter header(List<Cid> roots) throws IOException {
        return rawHeader(headerBytes(roots));
    }

    /** Writes {@code header} verbatim as the header block. */
    public CarWriter rawHeader(byte[] header) throws IOException {
        writeVarint(header.length);
        write(header, 0, header.length);
        return this;
    }

    @Override
    public void block(Cid cid, byte[] data, int off, int len) throws IOException {
        writeVarint((long) cid.encodedLength() + len);
        if (cid.encodedLength() > cidScratch.length) {
            cidScratch = new byte[cid.encodedLength()];
        }
        cid.copyTo(cidScratch, 0); // no per-block copy of the CID: this is the serving hot path
        write(cidScratch, 0, cid.encodedLength());
        write(data, off, len);
    }

    public void block(Cid cid, byte[] data) throws IOException {
        block(cid, data, 0, data.length);
    }

    /** Writes {@code cidBytes} and {@code data} as one section, verbatim: for deliberately broken CARs. */
    public void section(byte[] cidBytes, byte[] data) throws IOException {
        writeVarint((long) cidBytes.length + data.length);
        write(cidBytes, 0, cidBytes.length);
        write(data, 0, data.length);
    }

    public long bytesWritten() {
        return written;
    }

    private void writeVarint(long value) throws IOException {
        int n = Varint.write(value, varint, 0);
        write(varint, 0, n);
    }

    private void write(byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
        written += len;
    }
}

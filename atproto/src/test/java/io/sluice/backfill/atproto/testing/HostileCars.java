package io.sluice.backfill.atproto.testing;

import io.sluice.backfill.atproto.car.CarWriter;
import io.sluice.backfill.atproto.cbor.DagCborEncoder;
import io.sluice.backfill.atproto.cid.Cid;
import io.sluice.backfill.atproto.mst.MstBuilder;
import io.sluice.backfill.atproto.repo.RepoBuilder;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Valid repository CARs that are small on the wire but costly to process, written to files because
 * they are too big to keep in a test's heap (issue 11, item 3):
 * <ul>
 * <li>{@link #amplifying}: many MST keys that all name one large record block, so the records
 * extracted are {@code keys} times the CAR's size;</li>
 * <li>{@link #manyBlocks}: a small repository followed by millions of tiny unreferenced blocks, so
 * the CAR stays under the size limit while the block count is as large as it can be.</li>
 * </ul>
 * {@code main(amplifying|many-blocks, FILE, n)} writes one, for measurements by hand.
 */
public final class HostileCars {

    public static final String DID = "did:plc:hostilecarhostilecar00";
    private static final String COLLECTION = "app.bsky.feed.post";

    private HostileCars() {
    }

    /** {@code keys} records that share one record block of about {@code recordBytes}. */
    public static void amplifying(Path file, int keys, int recordBytes) throws IOException {
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("$type", COLLECTION);
        record.put("text", "x".repeat(recordBytes));
        byte[] data = DagCborEncoder.encodeValue(record);
        Cid cid = Cid.of(Cid.DAG_CBOR, data);
        ByteArrayOutputStream nodes = new ByteArrayOutputStream();
        CarWriter nodeWriter = new CarWriter(nodes);
        MstBuilder mst = new MstBuilder(nodeWriter);
        for (int i = 0; i < keys; i++) {
            mst.add(COLLECTION + "/" + rkey(i), cid);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            CarWriter car = writeCommit(out, mst.finish());
            car.block(cid, data);
            nodes.writeTo(out);
        }
    }

    /**
     * One record and {@code blocks} distinct raw blocks of {@code payloadBytes} (1..8) each; a
     * section is then {@code 1 + 36 + payloadBytes} bytes.
     */
    public static void manyBlocks(Path file, long blocks, int payloadBytes) throws IOException {
        ByteArrayOutputStream repo = new ByteArrayOutputStream();
        RepoBuilder builder = new RepoBuilder(new CarWriter(repo));
        builder.add(COLLECTION + "/" + rkey(0), Map.of("$type", COLLECTION, "text", "hello"));
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            CarWriter car = writeCommit(out, builder.finish());
            repo.writeTo(out);
            byte[] payload = new byte[payloadBytes];
            for (long i = 0; i < blocks; i++) {
                for (int b = 0; b < payloadBytes; b++) payload[b] = (byte) (i >>> (8 * b));
                car.block(Cid.of(Cid.RAW, payload), payload);
            }
        }
    }

    private static CarWriter writeCommit(OutputStream out, Cid data) throws IOException {
        byte[] commit = RepoBuilder.commitBytes(DID, data, "3kaaaaaaaaa22", new byte[64]);
        Cid commitCid = Cid.of(Cid.DAG_CBOR, commit);
        CarWriter car = new CarWriter(out).header(List.of(commitCid));
        car.block(commitCid, commit);
        return car;
    }

    /** Distinct, ascending record keys of TID length. */
    private static String rkey(int i) {
        return String.format("3k%011d", i);
    }

    public static void main(String[] args) throws IOException {
        Path file = Path.of(args[1]);
        long n = Long.parseLong(args[2]);
        switch (args[0]) {
            case "amplifying" -> amplifying(file, (int) n, 1_500_000);
            case "many-blocks" -> manyBlocks(file, n, 3);
            default -> throw new IllegalArgumentException("amplifying or many-blocks, not " + args[0]);
        }
        System.out.println(file + ": " + Files.size(file) + " bytes");
    }
}

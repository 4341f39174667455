package io.sluice.backfill.simulator;

import io.sluice.backfill.atproto.cbor.CborWriter;
import io.sluice.backfill.atproto.cid.Base32;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Encodes one record of each simulated collection as canonical DAG-CBOR, shaped like what the
 * Bluesky app writes: posts with text, langs and sometimes a reply, likes and reposts with a
 * strong reference ({@code subject: {cid, uri}}), follows with a subject DID, one profile.
 *
 * <p>Map keys are written in DAG-CBOR's canonical order (by length, then bytewise) by hand rather
 * than through a map and {@code DagCborEncoder}: this runs once per generated record and is the
 * simulator's hot path. Tests re-encode the output to check it is canonical. Not thread-safe;
 * the returned writer is reused by the next call.
 */
final class RecordShapes {

    static final String PROFILE = "app.bsky.actor.profile";
    static final String LIKE = "app.bsky.feed.like";
    static final String POST = "app.bsky.feed.post";
    static final String REPOST = "app.bsky.feed.repost";
    static final String FOLLOW = "app.bsky.graph.follow";
    /** In MST key order: none is a prefix of another, so collection order is key order. */
    static final List<String> COLLECTIONS = List.of(PROFILE, LIKE, POST, REPOST, FOLLOW);

    private static final String[] WORDS = ("the a of to and in is it that for on with this my just so like what "
            + "about today people new time good one more now really think know some day would back need going "
            + "sky river stream backfill repository merkle tree record post follow like blue cloud data kafka "
            + "sluice protocol relay firehose coffee morning night weekend music photo cat dog garden rain sun "
            + "build ship test deploy read write code open small world again never always maybe")
            .split(" ");
    private static final String[] FLAVOURS = {" 🌊", " ☕", " café", " naïve", " 🚀✨", " — ok"};
    private static final long MONTH_MICROS = 30L * 24 * 3600 * 1_000_000;

    private final Population population;
    private final CborWriter out = new CborWriter(1024);
    private final StringBuilder text = new StringBuilder(512);
    private final byte[] cid = new byte[36];

    RecordShapes(Population population) {
        this.population = population;
        cid[0] = 0x01; // CIDv1, dag-cbor, sha2-256, 32-byte digest
        cid[1] = 0x71;
        cid[2] = 0x12;
        cid[3] = 0x20;
    }

    /** The record of collection {@code COLLECTIONS.get(collection)} created at {@code micros}. */
    CborWriter write(int collection, SplittableRandom rng, int didIndex, long micros) {
        out.reset();
        switch (collection) {
            case 0 -> profile(rng, didIndex, micros);
            case 1 -> reference(LIKE, rng, micros);
            case 2 -> post(rng, micros);
            case 3 -> reference(REPOST, rng, micros);
            case 4 -> follow(rng, micros);
            default -> throw new IllegalArgumentException("no collection " + collection);
        }
        return out;
    }

    private void profile(SplittableRandom rng, int didIndex, long micros) {
        out.mapHeader(4);
        out.text("$type").text(PROFILE);
        out.text("createdAt").text(Timestamps.iso(micros));
        out.text("description").text(sentence(rng, 4 + rng.nextInt(20)));
        out.text("displayName").text("Simulated " + didIndex);
    }

    private void post(SplittableRandom rng, long micros) {
        boolean reply = rng.nextInt(5) == 0;
        int words = rng.nextInt(4) == 0 ? 15 + rng.nextInt(40) : 2 + rng.nextInt(14);
        out.mapHeader(reply ? 5 : 4);
        out.text("text").text(sentence(rng, words));
        out.text("$type").text(POST);
        out.text("langs").arrayHeader(1).text("en");
        if (reply) {
            out.text("reply").mapHeader(2); // "root" before "parent": shorter
            out.text("root");
            strongRef(rng, micros);
            out.text("parent");
            strongRef(rng, micros);
        }
        out.text("createdAt").text(Timestamps.iso(micros));
    }

    /** Likes and reposts: {@code $type}, {@code subject}, {@code createdAt}, in that canonical order. */
    private void reference(String type, SplittableRandom rng, long micros) {
        out.mapHeader(3);
        out.text("$type").text(type);
        out.text("subject");
        strongRef(rng, micros);
        out.text("createdAt").text(Timestamps.iso(micros));
    }

    private void follow(SplittableRandom rng, long micros) {
        out.mapHeader(3);
        out.text("$type").text(FOLLOW);
        out.text("subject").text(population.did(rng.nextInt(population.size())));
        out.text("createdAt").text(Timestamps.iso(micros));
    }

    /** {@code {cid, uri}} of some earlier post by some simulated account; the CID is well-formed but random. */
    private void strongRef(SplittableRandom rng, long micros) {
        for (int i = 4; i < 36; i += 8) {
            long bits = rng.nextLong();
            for (int b = 0; b < 8; b++) {
                cid[i + b] = (byte) (bits >>> (8 * b));
            }
        }
        String author = population.did(rng.nextInt(population.size()));
        String rkey = Timestamps.tid(micros - 1 - rng.nextLong(MONTH_MICROS), rng.nextInt(1024));
        out.mapHeader(2);
        out.text("cid").text("b" + Base32.encode(cid));
        out.text("uri").text("at://" + author + "/" + POST + "/" + rkey);
    }

    private String sentence(SplittableRandom rng, int words) {
        text.setLength(0);
        for (int i = 0; i < words; i++) {
            if (i > 0) {
                text.append(' ');
            }
            text.append(WORDS[rng.nextInt(WORDS.length)]);
        }
        if (rng.nextInt(10) == 0) {
            text.append(FLAVOURS[rng.nextInt(FLAVOURS.length)]);
        }
        return text.toString();
    }
}

package io.sluice.backfill.atproto.repo;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What parsing one repository CAR found.
 *
 * @param root           CID of the commit block (the CAR root)
 * @param bytes          size of the CAR stream
 * @param blocks         block sections in the CAR, including duplicates and corrupt ones
 * @param records        records handed to the sink
 * @param collections    records per collection, sorted by collection
 * @param badCids        blocks whose bytes did not hash to their CID (dropped)
 * @param missingBlocks  MST nodes and records referenced by the tree but absent (or dropped)
 */
public record RepoSummary(String did, String rev, String root, long bytes, long blocks, long records,
                          Map<String, Long> collections, long badCids, long missingBlocks) {

    public RepoSummary {
        collections = Collections.unmodifiableMap(new TreeMap<>(collections));
    }

    /** One JSON object, snake_case keys: what {@code sluice inspect-car --summary} prints. */
    public String toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("did", did);
        node.put("rev", rev);
        node.put("root", root);
        node.put("bytes", bytes);
        node.put("blocks", blocks);
        node.put("records", records);
        ObjectNode perCollection = node.putObject("collections");
        collections.forEach(perCollection::put);
        node.put("bad_cids", badCids);
        node.put("missing_blocks", missingBlocks);
        return node.toString();
    }
}

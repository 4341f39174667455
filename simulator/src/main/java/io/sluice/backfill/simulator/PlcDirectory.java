package io.sluice.backfill.simulator;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.backfill.atproto.cid.Base58;
import io.sluice.backfill.atproto.cid.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;

/**
 * The simulated PLC directory: {@code GET {plcUrl}/{did}} gives the DID document of a simulated
 * account, shaped like plc.directory's: {@code alsoKnownAs} with the handle, one
 * {@code #atproto} Multikey verification method and one {@code #atproto_pds} service whose
 * {@code serviceEndpoint} is the account's virtual host. The key is a syntactically valid
 * compressed secp256k1 {@code did:key} multibase derived from the seed, not a real key pair.
 */
final class PlcDirectory {

    private final long seed;
    private final Population population;
    private final IntFunction<String> endpointOfHost;

    PlcDirectory(long seed, Population population, IntFunction<String> endpointOfHost) {
        this.seed = seed;
        this.population = population;
        this.endpointOfHost = endpointOfHost;
    }

    /** The document's JSON, or null when {@code did} is not simulated. */
    String document(String did) {
        int index = population.indexOf(did);
        if (index < 0) {
            return null;
        }
        ObjectNode doc = SimulatorStats.JSON.createObjectNode();
        ArrayNode context = doc.putArray("@context");
        context.add("https://www.w3.org/ns/did/v1");
        context.add("https://w3id.org/security/multikey/v1");
        context.add("https://w3id.org/security/suites/secp256k1-2019/v1");
        doc.put("id", did);
        doc.putArray("alsoKnownAs").add("at://" + population.handle(index));
        ObjectNode key = doc.putArray("verificationMethod").addObject();
        key.put("id", did + "#atproto");
        key.put("type", "Multikey");
        key.put("controller", did);
        key.put("publicKeyMultibase", publicKey(did));
        ObjectNode pds = doc.putArray("service").addObject();
        pds.put("id", "#atproto_pds");
        pds.put("type", "AtprotoPersonalDataServer");
        pds.put("serviceEndpoint", endpointOfHost.apply(population.hostOf(index)));
        return doc.toString();
    }

    /** {@code z} + base58btc(secp256k1-pub multicodec 0xe7 0x01, 0x02|0x03, 32 bytes). */
    private String publicKey(String did) {
        byte[] x = Sha256.digest(("key:" + seed + ":" + did).getBytes(StandardCharsets.UTF_8));
        byte[] multikey = new byte[35];
        multikey[0] = (byte) 0xe7;
        multikey[1] = 0x01;
        multikey[2] = (byte) (2 + (x[31] & 1));
        System.arraycopy(x, 0, multikey, 3, 32);
        return "z" + Base58.encode(multikey);
    }
}

package io.sluice.backfill.simulator;

import io.sluice.backfill.atproto.cid.Base32;
import io.sluice.backfill.atproto.cid.Sha256;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Who exists in a simulation: the virtual host names ({@code pds-07.sim.test}), the accounts'
 * {@code did:plc} identifiers, their handles and which host each lives on. Pure function of the
 * config; lookups are O(1) and allocation-free.
 *
 * <p>A {@code did:plc} is {@code did:plc:} and 24 characters of base32: the first 15 bytes of
 * SHA-256 over the seed and the index here (the real directory hashes the genesis operation).
 * Handles and host names sit under {@code sim.test}, a TLD reserved for testing.
 */
final class Population {

    static final String DOMAIN = "sim.test";

    private final String[] hosts;
    private final String[] dids;
    private final Map<String, Integer> didIndex;
    private final Map<String, Integer> hostIndex;

    Population(PdsSimulatorConfig config) {
        int width = Math.max(2, String.valueOf(config.hosts() - 1).length());
        hosts = new String[config.hosts()];
        hostIndex = new HashMap<>();
        for (int h = 0; h < hosts.length; h++) {
            hosts[h] = "pds-" + pad(h, width) + "." + DOMAIN;
            hostIndex.put(hosts[h], h);
        }
        dids = new String[config.dids()];
        didIndex = new HashMap<>(config.dids() * 2);
        for (int i = 0; i < dids.length; i++) {
            byte[] hash = Sha256.digest(("sluice-simulated-did:" + config.seed() + ":" + i).getBytes(StandardCharsets.UTF_8));
            dids[i] = "did:plc:" + Base32.encode(Arrays.copyOf(hash, 15));
            if (didIndex.put(dids[i], i) != null) {
                throw new IllegalStateException("two simulated accounts share " + dids[i] + "; SHA-256 collided?");
            }
        }
    }

    int size() {
        return dids.length;
    }

    String did(int index) {
        return dids[index];
    }

    /** Index of {@code did}, or -1 when it is not simulated. */
    int indexOf(String did) {
        Integer i = did == null ? null : didIndex.get(did);
        return i == null ? -1 : i;
    }

    int hostCount() {
        return hosts.length;
    }

    int hostOf(int didIndex) {
        return didIndex % hosts.length;
    }

    String hostName(int host) {
        return hosts[host];
    }

    /** Index of the host called {@code name} (case-insensitive), or -1. */
    int hostIndex(String name) {
        Integer i = name == null ? null : hostIndex.get(name.toLowerCase(java.util.Locale.ROOT));
        return i == null ? -1 : i;
    }

    String handle(int didIndex) {
        return "u" + didIndex + "." + hosts[hostOf(didIndex)];
    }

    List<String> dids() {
        return List.of(dids);
    }

    private static String pad(int value, int width) {
        String s = String.valueOf(value);
        return "0".repeat(Math.max(0, width - s.length())) + s;
    }
}

package io.sluice.backfill.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.backfill.atproto.car.Limits;
import io.sluice.backfill.atproto.repo.RepoParser;
import io.sluice.backfill.atproto.repo.RepoSummary;
import io.sluice.backfill.atproto.syntax.HandleSyntax;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PdsSimulatorTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final PdsSimulatorConfig CONFIG = PdsSimulatorConfig.builder().hosts(3).dids(12).seed(42)
            .records(RecordCounts.uniform(0, 300)).build();

    private static PdsSimulator sim;

    @BeforeAll
    static void start() throws IOException {
        sim = PdsSimulator.start(CONFIG);
    }

    @AfterAll
    static void stop() {
        sim.close();
    }

    @Test
    void everyRepositoryParsesToExactlyTheExpectedRecords() throws IOException {
        for (String did : sim.dids()) {
            HttpResponse<byte[]> response = SimHttp.get(SimHttp.getRepoUrl(sim, did));
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("content-type")).hasValue("application/vnd.ipld.car");
            RecordChecksum checksum = new RecordChecksum();
            RepoSummary summary = RepoParser.parse(new ByteArrayInputStream(response.body()), Limits.DEFAULT,
                    r -> checksum.add(r.did(), r.collection(), r.rkey(), r.cid().toString()));
            ExpectedRepo expected = sim.expected(did);

            assertThat(summary.did()).isEqualTo(did);
            assertThat(summary.badCids()).isZero();
            assertThat(summary.missingBlocks()).isZero();
            assertThat(summary.records()).isEqualTo(expected.records()).isEqualTo(checksum.count());
            assertThat(summary.collections()).isEqualTo(expected.collections());
            assertThat(checksum.hex()).isEqualTo(expected.checksum());
            assertThat(summary.root()).isEqualTo(expected.commit());
            assertThat(summary.rev()).isEqualTo(expected.rev());
            assertThat(expected.host()).isEqualTo(sim.hostOf(did));
        }
    }

    @Test
    void plcDocumentsPointAtTheAccountsHost() throws IOException {
        for (String did : sim.dids()) {
            HttpResponse<byte[]> response = SimHttp.get(sim.plcUrl() + "/" + did);
            assertThat(response.statusCode()).isEqualTo(200);
            JsonNode doc = JSON.readTree(response.body());
            assertThat(doc.get("id").asText()).isEqualTo(did);
            String handle = doc.get("alsoKnownAs").get(0).asText();
            assertThat(handle).startsWith("at://");
            assertThat(HandleSyntax.isValid(handle.substring(5))).isTrue();
            assertThat(doc.get("verificationMethod").get(0).get("publicKeyMultibase").asText()).startsWith("zQ3s");
            JsonNode service = doc.get("service").get(0);
            assertThat(service.get("id").asText()).isEqualTo("#atproto_pds");
            assertThat(service.get("type").asText()).isEqualTo("AtprotoPersonalDataServer");
            assertThat(service.get("serviceEndpoint").asText()).isEqualTo(sim.endpointOf(did))
                    .isEqualTo(sim.baseUrl() + "/pds/" + sim.hostOf(did));
        }
        assertThat(sim.hosts()).containsExactly("pds-00.sim.test", "pds-01.sim.test", "pds-02.sim.test");
        assertThat(SimHttp.get(sim.plcUrl() + "/did:plc:aaaaaaaaaaaaaaaaaaaaaaaa").statusCode()).isEqualTo(404);
    }

    @Test
    void answersUnknownAccountsLikeAPds() throws IOException {
        String did = sim.dids().get(0); // on pds-00
        String otherHost = sim.endpointOfHost("pds-01.sim.test");
        HttpResponse<byte[]> wrongHost = SimHttp.get(otherHost + "/xrpc/com.atproto.sync.getRepo?did=" + did);
        assertThat(wrongHost.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(wrongHost.body()).get("error").asText()).isEqualTo("RepoNotFound");
        assertThat(wrongHost.headers().firstValue("ratelimit-policy")).hasValue("3000;w=300");
        assertThat(SimHttp.get(otherHost + "/xrpc/com.atproto.sync.getRepo").statusCode()).isEqualTo(400);
        assertThat(SimHttp.get(otherHost + "/xrpc/com.atproto.sync.listBlobs").statusCode()).isEqualTo(501);
        assertThat(SimHttp.get(sim.baseUrl() + "/pds/nope.sim.test/xrpc/com.atproto.sync.getRepo?did=" + did).statusCode())
                .isEqualTo(404);
        assertThatThrownBy(() -> sim.endpointOf("did:plc:unknown")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theHostHeaderAddressesAVirtualHostToo() throws IOException {
        String did = sim.dids().get(4); // on pds-01
        RawHttp response = RawHttp.get(sim.port(), "pds-01.sim.test:" + sim.port(),
                "/xrpc/com.atproto.sync.getRepo?did=" + did.replace(":", "%3A"));
        assertThat(response.status()).isEqualTo(200);
        ByteArrayOutputStream direct = new ByteArrayOutputStream();
        sim.writeRepo(did, direct);
        assertThat(response.body()).isEqualTo(direct.toByteArray());
        assertThat(RawHttp.get(sim.port(), "127.0.0.1", "/xrpc/com.atproto.sync.getRepo?did=" + did).status()).isEqualTo(404);
    }

    @Test
    void sameConfigServesIdenticalBytes() throws IOException {
        try (PdsSimulator twin = PdsSimulator.start(CONFIG)) {
            assertThat(twin.dids()).isEqualTo(sim.dids());
            for (String did : sim.dids().subList(0, 4)) {
                assertThat(SimHttp.get(SimHttp.getRepoUrl(twin, did)).body()).isEqualTo(SimHttp.get(SimHttp.getRepoUrl(sim, did)).body());
                assertThat(twin.expected(did)).isEqualTo(sim.expected(did));
            }
        }
        try (PdsSimulator other = PdsSimulator.start(CONFIG.toBuilder().seed(43).build())) {
            assertThat(other.dids()).doesNotContainAnyElementsOf(sim.dids());
        }
    }

    @Test
    void adminEndpointsReportExpectationsAndStats() throws IOException {
        List<String> dids = new String(SimHttp.get(sim.baseUrl() + "/admin/dids").body()).lines().toList();
        assertThat(dids).isEqualTo(sim.dids());

        String did = sim.dids().get(7);
        JsonNode one = JSON.readTree(SimHttp.get(sim.baseUrl() + "/admin/expected?did=" + did).body());
        assertThat(one.get("records").asLong()).isEqualTo(sim.expected(did).records());
        assertThat(one.get("checksum").asText()).isEqualTo(sim.expected(did).checksum());

        ExpectedTotal total = sim.expectedTotal();
        RecordChecksum sum = new RecordChecksum();
        sim.dids().forEach(d -> sum.merge(sim.expected(d).checksumValue(), sim.expected(d).records()));
        assertThat(total.dids()).isEqualTo(12);
        assertThat(total.records()).isEqualTo(sum.count());
        assertThat(total.checksum()).isEqualTo(sum.hex());
        JsonNode totalJson = JSON.readTree(SimHttp.get(sim.baseUrl() + "/admin/expected").body());
        assertThat(totalJson.get("checksum").asText()).isEqualTo(total.checksum());
        assertThat(totalJson.get("collections").size()).isEqualTo(5);

        assertThat(SimHttp.post(sim.baseUrl() + "/admin/reset").statusCode()).isEqualTo(204);
        SimHttp.get(SimHttp.getRepoUrl(sim, did));
        SimHttp.get(sim.plcUrl() + "/" + did);
        JsonNode stats = JSON.readTree(SimHttp.get(sim.baseUrl() + "/admin/stats").body());
        assertThat(stats.get("limit").asInt()).isEqualTo(3000);
        assertThat(stats.get("window_seconds").asInt()).isEqualTo(300);
        assertThat(stats.get("plc_requests").asLong()).isEqualTo(1);
        assertThat(stats.get("totals").get("requests").asLong()).isEqualTo(1);
        assertThat(stats.get("totals").get("served").asLong()).isEqualTo(1);
        assertThat(stats.get("totals").get("bytes_sent").asLong()).isEqualTo(sim.expected(did).carBytes());
        JsonNode host = stats.get("hosts").get(7 % 3);
        assertThat(host.get("host").asText()).isEqualTo(sim.hostOf(did));
        assertThat(host.get("windows").get(0).get("arrivals").asInt()).isEqualTo(1);
        assertThat(host.get("injected").get("truncated").asLong()).isZero();
        assertThat(sim.stats().totals().violations()).isZero();
    }
    @Test
    void anAccountThatCommitsServesALaterRevisionWithTheSameRecords() throws IOException, InterruptedException {
        try (PdsSimulator own = PdsSimulator.start(PdsSimulatorConfig.builder().hosts(1).dids(2).seed(7)
                .records(RecordCounts.uniform(1, 50)).build())) {
            String did = own.dids().getFirst();
            ExpectedRepo before = own.expected(did);
            String latest = SimHttp.getRepoUrl(own, did).replace("com.atproto.sync.getRepo", "com.atproto.sync.getLatestCommit");
            assertThat(JSON.readTree(SimHttp.get(latest).body()).get("rev").asText()).isEqualTo(before.rev());

            own.commit(did);
            ExpectedRepo after = own.expected(did);
            assertThat(after.rev()).isGreaterThan(before.rev());
            assertThat(after.commit()).isNotEqualTo(before.commit());
            assertThat(after.checksum()).isEqualTo(before.checksum());
            assertThat(JSON.readTree(SimHttp.get(latest).body()).get("rev").asText()).isEqualTo(after.rev());
            RepoSummary summary = RepoParser.parse(new ByteArrayInputStream(SimHttp.get(SimHttp.getRepoUrl(own, did)).body()),
                    Limits.DEFAULT, r -> { });
            assertThat(summary.rev()).isEqualTo(after.rev());
            assertThat(summary.records()).isEqualTo(before.records());

            HostStats totals = SimHttp.totalsOnceServed(own, 3);
            assertThat(totals.served()).isEqualTo(3);
            assertThat(totals.repos()).as("getRepo responses only").isEqualTo(1);
        }
    }
}

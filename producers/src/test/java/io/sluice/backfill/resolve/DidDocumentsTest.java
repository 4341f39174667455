package io.sluice.backfill.resolve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DidDocumentsTest {

    private static final String DID = "did:plc:ewvi7nxzyoun6zhxrhs64oiz";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The shape plc.directory returns (abridged from a real document). */
    private static final String PLC_DOC = """
            {"@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
             "id": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
             "alsoKnownAs": ["at://atproto.com"],
             "verificationMethod": [{"id": "did:plc:ewvi7nxzyoun6zhxrhs64oiz#atproto", "type": "Multikey",
               "controller": "did:plc:ewvi7nxzyoun6zhxrhs64oiz",
               "publicKeyMultibase": "zQ3shunBKsXixLxKtC5qeSG9E4J5RkGN57im31pcTzbNQnm5w"}],
             "service": [{"id": "#atproto_pds", "type": "AtprotoPersonalDataServer",
               "serviceEndpoint": "https://enoki.us-east.host.bsky.network"}]}
            """;

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    private static ResolutionException failure(String doc) {
        try {
            DidDocuments.pdsEndpoint(json(doc), DID);
        } catch (ResolutionException e) {
            return e;
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("no failure for " + doc);
    }

    @Test
    void takesTheAtprotoPdsServiceOfAPlcDocument() throws Exception {
        assertThat(DidDocuments.pdsEndpoint(json(PLC_DOC), DID).url()).isEqualTo("https://enoki.us-east.host.bsky.network");
    }

    @Test
    void acceptsTheAbsoluteServiceIdAndSkipsOtherServices() throws Exception {
        String doc = """
                {"id": "%1$s", "service": [
                  {"id": "#atproto_labeler", "type": "AtprotoLabeler", "serviceEndpoint": "https://labeler.example"},
                  {"id": "#atproto_pds", "type": "SomethingElse", "serviceEndpoint": "https://wrong.example"},
                  {"id": "%1$s#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "https://Right.Example/"},
                  {"id": "#atproto_pds", "type": "AtprotoPersonalDataServer", "serviceEndpoint": "https://second.example"}]}
                """.formatted(DID);
        assertThat(DidDocuments.pdsEndpoint(json(doc), DID).url()).isEqualTo("https://right.example");
    }

    @Test
    void aDocumentWithoutAPdsServiceIsNoPdsService() {
        assertThat(failure("{\"id\": \"" + DID + "\", \"service\": []}").reason()).isEqualTo(FailureReason.NO_PDS_SERVICE);
        assertThat(failure("{\"id\": \"" + DID + "\"}").reason()).isEqualTo(FailureReason.NO_PDS_SERVICE);
        assertThat(failure("{\"id\": \"" + DID + "\", \"service\": {\"id\": \"#atproto_pds\"}}").reason())
                .isEqualTo(FailureReason.NO_PDS_SERVICE);
    }

    @Test
    void aDocumentForAnotherDidIsInvalid() {
        ResolutionException e = failure(PLC_DOC.replace("\"id\": \"" + DID, "\"id\": \"did:plc:somebodyelse"));
        assertThat(e.reason()).isEqualTo(FailureReason.INVALID_DOCUMENT);
        assertThat(e).hasMessageContaining("did:plc:somebodyelse");
        assertThat(failure("[1, 2]").reason()).isEqualTo(FailureReason.INVALID_DOCUMENT);
        assertThat(failure("{\"service\": []}").reason()).isEqualTo(FailureReason.INVALID_DOCUMENT);
    }

    @Test
    void anEndpointThatIsNotAPlainUrlIsInvalidEndpoint() {
        String template = "{\"id\": \"" + DID + "\", \"service\": [{\"id\": \"#atproto_pds\", "
                + "\"type\": \"AtprotoPersonalDataServer\", \"serviceEndpoint\": %s}]}";
        assertThat(failure(template.formatted("{\"uri\": \"https://x.example\"}")).reason())
                .isEqualTo(FailureReason.INVALID_ENDPOINT);
        assertThat(failure(template.formatted("\"ftp://x.example\"")).reason()).isEqualTo(FailureReason.INVALID_ENDPOINT);
        assertThat(failure(template.formatted("\"https://x.example/?redirect=1\"")).reason())
                .isEqualTo(FailureReason.INVALID_ENDPOINT);
    }

    @Test
    void missingDocumentIsInvalid() {
        assertThatThrownBy(() -> DidDocuments.pdsEndpoint(null, DID)).isInstanceOf(ResolutionException.class);
    }
}

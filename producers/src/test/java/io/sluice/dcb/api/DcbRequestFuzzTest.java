package io.sluice.dcb.api;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every byte of a DCB request body and of the {@code query} and {@code options} parameters of a read
 * is the client's. The first byte picks the parser ({@code a} append body, {@code q} query, anything
 * else options). Invariant: a request parses or is a {@link BadRequestException} (a 400 that says
 * what is wrong), never another exception, which would be a 500.
 */
class DcbRequestFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void parse(byte[] input) {
        if (input.length == 0) return;
        byte[] body = Arrays.copyOfRange(input, 1, input.length);
        try {
            switch (input[0]) {
                case 'a' -> DcbJson.parseAppend(body);
                case 'q' -> DcbJson.parseQuery(new String(body, StandardCharsets.UTF_8));
                default -> DcbJson.parseOptions(new String(body, StandardCharsets.UTF_8));
            }
        } catch (BadRequestException expected) {
            // the documented answer: a 400 whose message says what is wrong
            assertFalse(expected.getMessage() == null || expected.getMessage().isBlank(), "a 400 without a reason");
        }
    }
}

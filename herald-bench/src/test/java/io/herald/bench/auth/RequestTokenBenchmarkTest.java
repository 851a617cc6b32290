package io.herald.bench.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each step of {@link RequestTokenBenchmark} does the work it claims to time, on a genuine TokenRequest: a step that
 * quietly failed or short-circuited would make its figure meaningless.
 */
class RequestTokenBenchmarkTest {
    private final RequestTokenBenchmark b = new RequestTokenBenchmark();

    @BeforeEach
    void setUp() {
        b.setUp();
    }

    @Test
    void steps_readAndCheckAGenuineTokenRequest() {
        assertThat(b.parseBody().get("keyName").asText()).isEqualTo("benchApp.benchKey");
        assertThat(b.readTokenRequest().clientId()).isEqualTo("http-1");
        assertThat(b.verifyMac()).isTrue();
        assertThat(b.capability()).isEqualTo("{\"chat:*\":[\"presence\",\"publish\",\"subscribe\"]}");
    }

    @Test
    void tokenIds_sixteenLettersFreshEachTime() {
        for (String id : new String[] {b.tokenIdShared(), b.tokenIdPerThread()}) {
            assertThat(id).matches("[A-Z\\[\\\\\\]^_`]{16}");
        }
        assertThat(b.tokenIdPerThread()).isNotEqualTo(b.tokenIdPerThread());
        assertThat(b.tokenIdShared4Threads()).hasSize(16);
        assertThat(b.tokenIdPerThread4Threads()).hasSize(16);
    }

    @Test
    void hmac_initialisedOnceOrEachCall_sameMac() throws GeneralSecurityException {
        assertThat(b.hmacInitOnce()).hasSize(32).isEqualTo(b.hmacInitEachCall());
    }

    @Test
    void tokenAndResponse_theWholePathToTheBytesSent() {
        assertThat(b.issueToken()).isNotBlank();
        String details = new String(b.writeDetails(), StandardCharsets.UTF_8);
        assertThat(details).contains("\"keyName\":\"benchApp.benchKey\"", "\"clientId\":\"http-1\"", "\"token\":\"");
        // the server's direct TokenDetails text is byte for byte what the protocol codec wrote for the map
        assertThat(new String(b.writeDetailsText(), StandardCharsets.UTF_8)).isEqualTo(details);
        assertThat(new String(b.all(), StandardCharsets.UTF_8)).contains("\"clientId\":\"http-1\"");
    }
}

package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.rest.AblyRest;
import io.ably.lib.rest.Auth;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.util.Log;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden vectors from the official ably-java 1.5.0 SDK: its {@code createTokenRequest} is a purely local HMAC
 * (JV rest/Auth.java), so no network is used. ably-java canonicalises capabilities with a default Gson, which
 * escapes {@code < > & = '} as {@code \u003c}...; the MAC must verify over that raw text (docs/protocol.md §4.5).
 */
class AblyJavaGoldenTest {

    private static final ApiKey KEY = ApiKey.parse("appGold.keyJava:Zx3v9Q-k_7TtWqA2bLpR0sYdE5fUgHiJ1mNoP4rS6uV");
    private static AblyRest ably;

    @BeforeAll
    static void client() throws Exception {
        ClientOptions options = new ClientOptions(KEY.keyString());
        options.logLevel = Log.NONE;
        options.autoConnect = false;
        ably = new AblyRest(options);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(0L, null, null),
                Arguments.of(3_600_000L, "{\"chat:*\":[\"subscribe\",\"publish\",\"presence\"]}", "user-1"),
                Arguments.of(60_000L, "{\"*\":[\"*\"]}", "*"),
                Arguments.of(
                        0L,
                        "{\"b\":[\"history\"],\"a\":[\"subscribe\"],\"[meta]*\":[\"subscribe\"],\"[*]*\":[\"stats\"]}",
                        null),
                Arguments.of(86_400_000L, null, "clïent ☃ 😀"),
                Arguments.of(1L, "{\"room:<b>&co='x'\":[\"publish\"]}", "a<b>&c='d'"),
                Arguments.of(
                        120_000L,
                        "{\"q=1\":[\"subscribe\"],\"it's\":[\"presence\"],\"x&y\":[\"*\"],\"<tag>\":[\"history\"]}",
                        "bob"),
                Arguments.of(
                        5_000L,
                        "{\"quote\\\"back\\\\slash\":[\"publish\"],\"tab\\there\":[\"subscribe\"]}",
                        "line\nbreak"),
                Arguments.of(0L, "{\"10\":[\"publish\"],\"9\":[\"subscribe\"],\"b\":[\"presence\"]}", null));
    }

    private static Auth.TokenRequest sdkRequest(long ttl, String capability, String clientId) throws Exception {
        Auth.TokenParams params = new Auth.TokenParams();
        params.ttl = ttl;
        params.capability = capability;
        params.clientId = clientId;
        params.timestamp = 1_700_000_000_000L;
        return ably.auth.createTokenRequest(params, null);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void mac_sameFieldsAsAblyJava_identical(long ttl, String capability, String clientId) throws Exception {
        Auth.TokenRequest sdk = sdkRequest(ttl, capability, clientId);
        String ours = TokenRequests.mac(
                KEY.secret(),
                sdk.keyName,
                sdk.ttl == 0 ? null : Long.toString(sdk.ttl),
                sdk.capability,
                sdk.clientId,
                Long.toString(sdk.timestamp),
                sdk.nonce);
        assertThat(ours).isEqualTo(sdk.mac);
    }

    @ParameterizedTest
    @MethodSource("cases")
    void verifyMac_ablyJavaRequestJson_accepted(long ttl, String capability, String clientId) throws Exception {
        Auth.TokenRequest sdk = sdkRequest(ttl, capability, clientId);
        TokenRequest parsed = TokenRequest.fromJson(sdk.asJson());
        assertThat(parsed.mac()).isEqualTo(sdk.mac);
        assertThat(TokenRequests.verifyMac(parsed, KEY)).isTrue();
        assertThat(TokenRequests.verifyMac(parsed, ApiKey.generate("appGold").secret()))
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource("cases")
    void canonical_ablyJavaCapability_sameCapabilityAsOurs(long ttl, String capability, String clientId)
            throws Exception {
        Auth.TokenRequest sdk = sdkRequest(ttl, capability, clientId);
        if (capability == null) {
            assertThat(sdk.capability).isNull();
            return;
        }
        Capability ours = Capability.parse(capability);
        assertThat(Capability.parse(sdk.capability)).isEqualTo(ours);
        // Where Gson and JSON.stringify agree on the text, our whole request is the SDK's.
        if (sdk.capability.equals(ours.canonical())) {
            TokenRequest mine = TokenRequests.create(
                    KEY,
                    new TokenParams()
                            .withTtl(ttl)
                            .withCapability(capability)
                            .withClientId(clientId)
                            .withNonce(sdk.nonce),
                    Clock.fixed(Instant.ofEpochMilli(sdk.timestamp), ZoneOffset.UTC));
            assertThat(mine.mac()).isEqualTo(sdk.mac);
        }
    }

    @Test
    void canonical_gsonEscapedCapability_differsFromOursButMacVerifies() throws Exception {
        String capability = "{\"room:<b>&co='x'\":[\"publish\"]}";
        Auth.TokenRequest sdk = sdkRequest(0, capability, null);
        assertThat(sdk.capability).isEqualTo("{\"room:\\u003cb\\u003e\\u0026co\\u003d\\u0027x\\u0027\":[\"publish\"]}");
        assertThat(Capability.parse(capability).canonical()).isEqualTo("{\"room:<b>&co='x'\":[\"publish\"]}");
        TokenRequest parsed = TokenRequest.fromJson(sdk.asJson());
        assertThat(parsed.capability()).isEqualTo(sdk.capability);
        assertThat(TokenRequests.verifyMac(parsed, KEY)).isTrue();
        TokenRequest recanonicalised = new TokenRequest(
                parsed.keyName(),
                parsed.ttl(),
                Capability.parse(parsed.capability()).canonical(),
                parsed.clientId(),
                parsed.timestamp(),
                parsed.nonce(),
                parsed.mac());
        assertThat(TokenRequests.verifyMac(recanonicalised, KEY))
                .as("re-canonicalising breaks the MAC")
                .isFalse();
    }
}

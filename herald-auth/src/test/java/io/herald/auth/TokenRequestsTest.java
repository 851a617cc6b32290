package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TokenRequestsTest {

    private static final ApiKey VECTOR_KEY = ApiKey.parse("appId1.keyId1:s3cr3tValueNoDotsOrColons");
    private static final Clock CLOCK = Clock.fixed(Instant.ofEpochMilli(1_700_000_000_000L), ZoneOffset.UTC);

    // docs/protocol.md §4.5, first hand-computed vector
    @Test
    void mac_protocolVectorWithAllFields_matchesReference() {
        String mac = TokenRequests.mac(
                "s3cr3tValueNoDotsOrColons",
                "appId1.keyId1",
                "3600000",
                "{\"chat:*\":[\"presence\",\"publish\",\"subscribe\"]}",
                "user-1",
                "1700000000000",
                "0123456789012345");
        assertThat(mac).isEqualTo("fCBvalw0KIgwmvX94AotGoDHRxmutoNgvWWGhXojf94=");
    }

    // docs/protocol.md §4.5, second hand-computed vector
    @Test
    void mac_protocolVectorWithAbsentFields_matchesReference() {
        String mac = TokenRequests.mac(
                "s3cr3tValueNoDotsOrColons", "appId1.keyId1", null, null, null, "1700000000000", "0123456789012345");
        assertThat(mac).isEqualTo("LgdPO2FnwvScRg7pb5lERPvUDVqudMX/kUf9F0QlnqM=");
    }

    @Test
    void create_protocolVectorParams_producesReferenceMacAndFields() {
        TokenParams params = new TokenParams()
                .withTtl(3_600_000L)
                .withCapability("{ \"chat:*\" : [\"subscribe\",\"publish\",\"presence\"] }")
                .withClientId("user-1")
                .withNonce("0123456789012345");
        TokenRequest r = TokenRequests.create(VECTOR_KEY, params, CLOCK);
        assertThat(r.mac()).isEqualTo("fCBvalw0KIgwmvX94AotGoDHRxmutoNgvWWGhXojf94=");
        assertThat(r.capability()).isEqualTo("{\"chat:*\":[\"presence\",\"publish\",\"subscribe\"]}");
        assertThat(r.toJson())
                .isEqualTo("{\"keyName\":\"appId1.keyId1\",\"ttl\":3600000,"
                        + "\"capability\":\"{\\\"chat:*\\\":[\\\"presence\\\",\\\"publish\\\",\\\"subscribe\\\"]}\","
                        + "\"clientId\":\"user-1\",\"timestamp\":1700000000000,\"nonce\":\"0123456789012345\","
                        + "\"mac\":\"fCBvalw0KIgwmvX94AotGoDHRxmutoNgvWWGhXojf94=\"}");
    }

    @Test
    void create_noParams_omitsOptionalFieldsAndUsesClock() {
        TokenRequest r = TokenRequests.create(VECTOR_KEY, null, CLOCK);
        assertThat(r.ttl()).isNull();
        assertThat(r.capability()).isNull();
        assertThat(r.clientId()).isNull();
        assertThat(r.timestamp()).isEqualTo("1700000000000");
        assertThat(r.nonce()).hasSize(16).containsOnlyDigits();
        assertThat(r.toJson()).startsWith("{\"keyName\":\"appId1.keyId1\",\"timestamp\":1700000000000,\"nonce\":");
        assertThat(TokenRequests.verifyMac(r, VECTOR_KEY)).isTrue();
    }

    @Test
    void create_protocolVectorWithoutOptionalFields_producesReferenceMac() {
        TokenRequest r = TokenRequests.create(
                VECTOR_KEY, new TokenParams().withNonce("0123456789012345").withTtl(0L), CLOCK);
        assertThat(r.ttl()).isNull();
        assertThat(r.mac()).isEqualTo("LgdPO2FnwvScRg7pb5lERPvUDVqudMX/kUf9F0QlnqM=");
    }

    @Test
    void create_twoCalls_useDifferentNonces() {
        assertThat(TokenRequests.create(VECTOR_KEY, null, CLOCK).nonce())
                .isNotEqualTo(TokenRequests.create(VECTOR_KEY, null, CLOCK).nonce());
    }

    @Test
    void create_emptyCapabilityString_treatedAsAbsent() {
        assertThat(TokenRequests.create(VECTOR_KEY, new TokenParams().withCapability(""), CLOCK)
                        .capability())
                .isNull();
    }

    @Test
    void create_invalidCapability_throws400() {
        assertThatThrownBy(() ->
                        TokenRequests.create(VECTOR_KEY, new TokenParams().withCapability("{\"a\":[\"fly\"]}"), CLOCK))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("unknown operation \"fly\"");
    }

    @Test
    void create_emptyClientId_throws40012() {
        assertThatThrownBy(() -> TokenRequests.create(VECTOR_KEY, new TokenParams().withClientId(""), CLOCK))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40012));
    }

    @Test
    void create_shortNonce_throws40003() {
        assertThatThrownBy(() -> TokenRequests.create(VECTOR_KEY, new TokenParams().withNonce("123"), CLOCK))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40003));
    }

    @Test
    void create_negativeTtl_throws40003() {
        assertThatThrownBy(() -> TokenRequests.create(VECTOR_KEY, new TokenParams().withTtl(-1L), CLOCK))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40003));
    }

    @Test
    void verifyMac_wrongSecret_false() {
        TokenRequest r = TokenRequests.create(VECTOR_KEY, new TokenParams().withClientId("bob"), CLOCK);
        assertThat(TokenRequests.verifyMac(r, "otherSecret")).isFalse();
        assertThat(TokenRequests.verifyMac(r, VECTOR_KEY.secret())).isTrue();
    }

    @Test
    void verifyMac_otherKeyName_false() {
        TokenRequest r = TokenRequests.create(VECTOR_KEY, null, CLOCK);
        ApiKey sameSecretOtherName = new ApiKey("appId1", "other", VECTOR_KEY.secret());
        assertThat(TokenRequests.verifyMac(r, sameSecretOtherName)).isFalse();
    }

    @Test
    void verifyMac_unsigned_false() {
        TokenRequest r = new TokenRequest("appId1.keyId1", null, null, null, "1700000000000", "0123456789012345", null);
        assertThat(r.isSigned()).isFalse();
        assertThat(TokenRequests.verifyMac(r, VECTOR_KEY.secret())).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"keyName", "ttl", "capability", "clientId", "timestamp", "nonce"})
    void verifyMac_anyFieldChanged_false(String field) {
        TokenRequest r = TokenRequests.create(
                VECTOR_KEY,
                new TokenParams()
                        .withTtl(60_000L)
                        .withCapability("{\"a\":[\"publish\"]}")
                        .withClientId("c"),
                CLOCK);
        TokenRequest t = new TokenRequest(
                field.equals("keyName") ? "appId1.keyId2" : r.keyName(),
                field.equals("ttl") ? "60001" : r.ttl(),
                field.equals("capability") ? "{\"a\":[\"subscribe\"]}" : r.capability(),
                field.equals("clientId") ? "d" : r.clientId(),
                field.equals("timestamp") ? "1700000000001" : r.timestamp(),
                field.equals("nonce") ? r.nonce() + "0" : r.nonce(),
                r.mac());
        assertThat(TokenRequests.verifyMac(t, VECTOR_KEY.secret())).isFalse();
    }

    @Test
    void verifyMac_capabilityWhitespaceAddedAfterSigning_false() {
        TokenRequest r =
                TokenRequests.create(VECTOR_KEY, new TokenParams().withCapability("{\"a\":[\"publish\"]}"), CLOCK);
        TokenRequest t = new TokenRequest(
                r.keyName(), r.ttl(), "{\"a\": [\"publish\"]}", r.clientId(), r.timestamp(), r.nonce(), r.mac());
        assertThat(TokenRequests.verifyMac(t, VECTOR_KEY.secret())).isFalse();
    }

    // ably-js sends "ttl":0 but signs "" for it (JS auth.ts _createTokenRequestImpl)
    @Test
    void verifyMac_ttlZeroSignedAsEmpty_true() {
        String mac = TokenRequests.mac(
                VECTOR_KEY.secret(), VECTOR_KEY.keyName(), "", null, null, "1700000000000", "0123456789012345");
        TokenRequest r = TokenRequest.fromJson("{\"keyName\":\"appId1.keyId1\",\"ttl\":0,\"timestamp\":1700000000000,"
                + "\"nonce\":\"0123456789012345\",\"mac\":\"" + mac + "\"}");
        assertThat(TokenRequests.verifyMac(r, VECTOR_KEY)).isTrue();
    }

    @Test
    void verifyMac_macOverStringTtlAndTimestamp_verifiesAsReceived() {
        String mac = TokenRequests.mac(
                VECTOR_KEY.secret(), VECTOR_KEY.keyName(), "3600000", null, null, "1700000000000", "0123456789012345");
        TokenRequest r = TokenRequest.fromJson(
                "{\"keyName\":\"appId1.keyId1\",\"ttl\":\"3600000\",\"timestamp\":\"1700000000000\","
                        + "\"nonce\":\"0123456789012345\",\"mac\":\"" + mac + "\"}");
        assertThat(TokenRequests.verifyMac(r, VECTOR_KEY)).isTrue();
        assertThat(r.ttlMillis()).isEqualTo(3_600_000L);
        assertThat(r.timestampMillis()).isEqualTo(1_700_000_000_000L);
        assertThat(TokenRequests.verifyMac(TokenRequest.fromJson(r.toJson()), VECTOR_KEY))
                .isTrue();
    }
}

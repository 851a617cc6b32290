package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TokenRequestTest {

    @Test
    void fromJson_numbersAndStrings_keptAsDecimalText() {
        TokenRequest r = TokenRequest.fromJson(
                "{\"keyName\":\"a.b\",\"ttl\":3600000,\"timestamp\":\"1700000000000\",\"nonce\":\"n\",\"mac\":\"m\"}");
        assertThat(r.ttl()).isEqualTo("3600000");
        assertThat(r.timestamp()).isEqualTo("1700000000000");
        assertThat(r.capability()).isNull();
        assertThat(r.clientId()).isNull();
        assertThat(r.isSigned()).isTrue();
    }

    @Test
    void fromJson_integralNumbers_keptAsTheirDigits_evenPastALong() {
        // the MAC covers the numbers' text: a long, a negative one and one no long holds come back digit for digit
        TokenRequest r =
                TokenRequest.fromJson("{\"keyName\":\"a.b\",\"ttl\":99999999999999999999,\"timestamp\":1795815159221}");
        assertThat(r.ttl()).isEqualTo("99999999999999999999");
        assertThat(r.timestamp()).isEqualTo("1795815159221");
        assertThat(TokenRequest.fromJson("{\"keyName\":\"a.b\",\"ttl\":-9223372036854775808}")
                        .ttl())
                .isEqualTo("-9223372036854775808");
    }

    @Test
    void fromJson_nullClientId_absent() {
        assertThat(TokenRequest.fromJson("{\"keyName\":\"a.b\",\"clientId\":null,\"timestamp\":1}")
                        .clientId())
                .isNull();
    }

    @Test
    void fromJson_unknownFields_ignored() {
        assertThat(TokenRequest.fromJson("{\"keyName\":\"a.b\",\"timestamp\":1,\"extra\":{\"x\":1}}")
                        .keyName())
                .isEqualTo("a.b");
    }

    @Test
    void fromJson_capabilityObject_rejectedWith400() {
        assertThatThrownBy(() -> TokenRequest.fromJson("{\"keyName\":\"a.b\",\"capability\":{\"*\":[\"*\"]}}"))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("capability must be a JSON string");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "{\"keyName\":1}|keyName",
                "{\"clientId\":true}|clientId",
                "{\"nonce\":[]}|nonce",
                "{\"mac\":5}|mac",
                "{\"ttl\":1.5}|ttl",
                "{\"timestamp\":{}}|timestamp",
                "{\"ttl\":false}|ttl"
            })
    void fromJson_wrongFieldType_400NamingField(String json, String field) {
        assertThatThrownBy(() -> TokenRequest.fromJson(json))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.code()).isEqualTo(40001);
                })
                .hasMessageContaining(field);
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1]", "\"str\"", "{} trailing", "{\"a\":1,\"a\":2}"})
    void fromJson_notAnObject_400(String json) {
        assertThatThrownBy(() -> TokenRequest.fromJson(json))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40001));
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "1.5", "", "99999999999999999999"})
    void ttlMillis_notNonNegativeInteger_throws40003(String ttl) {
        TokenRequest r = new TokenRequest("a.b", ttl, null, null, "1", "n", "m");
        assertThatThrownBy(r::ttlMillis).isInstanceOfSatisfying(AuthException.class, e -> {
            assertThat(e.code()).isEqualTo(40003);
            assertThat(e.statusCode()).isEqualTo(400);
        });
    }

    @Test
    void ttlMillis_absent_null() {
        assertThat(new TokenRequest("a.b", null, null, null, "1", "n", "m").ttlMillis())
                .isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "-5", "1e3"})
    void timestampMillis_notANumber_throws400(String ts) {
        TokenRequest r = new TokenRequest("a.b", null, null, null, ts, "n", "m");
        assertThatThrownBy(r::timestampMillis)
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.statusCode()).isEqualTo(400));
    }

    @Test
    void timestampMillis_missing_throws400() {
        TokenRequest r = TokenRequest.fromJson("{\"keyName\":\"a.b\"}");
        assertThatThrownBy(r::timestampMillis)
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40001))
                .hasMessageContaining("timestamp");
    }

    @Test
    void toJson_nonNumericRawTtl_writtenAsStringSoMacSurvives() {
        TokenRequest r = new TokenRequest("a.b", "0100", null, null, "1", "n", "m");
        assertThat(r.toJson())
                .isEqualTo("{\"keyName\":\"a.b\",\"ttl\":\"0100\",\"timestamp\":1,\"nonce\":\"n\",\"mac\":\"m\"}");
        assertThat(TokenRequest.fromJson(r.toJson())).isEqualTo(r);
    }

    @Test
    void toJson_fieldOrder_matchesAblyJs() {
        TokenRequest r = new TokenRequest("a.b", "5", "{}", "c", "1", "n", "m");
        assertThat(r.toJson())
                .isEqualTo(
                        "{\"keyName\":\"a.b\",\"ttl\":5,\"capability\":\"{}\",\"clientId\":\"c\",\"timestamp\":1,\"nonce\":\"n\",\"mac\":\"m\"}");
    }

    @Test
    void fromJsonNode_parsedTree_sameAsText() throws Exception {
        String json = "{\"keyName\":\"a.b\",\"ttl\":5,\"timestamp\":1,\"nonce\":\"n\",\"mac\":\"m\"}";
        assertThat(TokenRequest.fromJsonNode(NodeScripts.MAPPER.readTree(json))).isEqualTo(TokenRequest.fromJson(json));
        assertThat(TokenRequest.fromJson(NodeScripts.MAPPER.readTree(json))).isEqualTo(TokenRequest.fromJson(json));
    }
}

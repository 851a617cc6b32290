package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TokenDetailsTest {

    @Test
    void toJson_withClientId_allFieldsInAblyOrder() {
        TokenDetails d = new TokenDetails("hdt1.abc.def", "a.b", 1000, 2000, "{\"*\":[\"*\"]}", "user");
        assertThat(d.toJson())
                .isEqualTo("{\"token\":\"hdt1.abc.def\",\"keyName\":\"a.b\",\"issued\":1000,\"expires\":2000,"
                        + "\"capability\":\"{\\\"*\\\":[\\\"*\\\"]}\",\"clientId\":\"user\"}");
        assertThat(TokenDetails.fromJson(d.toJson())).isEqualTo(d);
    }

    @Test
    void toJson_hostileClientId_escapedAndReadBackUnchanged() {
        String clientId = "q\"b\\s/\n\t\u0000\u001f\u007f\u2028 \u00e9\ud83d\ude00 lone\ud800 end";
        TokenDetails d = new TokenDetails("hdt1.abc.def", "a.b", -1, Long.MAX_VALUE, "{\"*\":[\"*\"]}", clientId);
        String json = d.toJson();
        assertThat(json)
                .contains("\"clientId\":\"q\\\"b\\\\s/\\n\\t\\u0000\\u001f")
                .contains("\\ud800 end\"}")
                .doesNotContain("\n");
        assertThat(TokenDetails.fromJson(json)).isEqualTo(d);
    }

    @Test
    void toJson_nullClientId_omitted() {
        TokenDetails d = new TokenDetails("t", "a.b", 1, 2, "{}", null);
        assertThat(d.toJson()).doesNotContain("clientId");
        assertThat(TokenDetails.fromJson(d.toJson())).isEqualTo(d);
    }

    @Test
    void fromJson_missingToken_throws400() {
        assertThatThrownBy(() -> TokenDetails.fromJson("{\"issued\":1}"))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.statusCode()).isEqualTo(400))
                .hasMessageContaining("token");
    }

    @Test
    void fromJson_wrongTypes_throws400NamingField() {
        assertThatThrownBy(() -> TokenDetails.fromJson("{\"token\":\"t\",\"issued\":\"1\"}"))
                .hasMessageContaining("issued");
        assertThatThrownBy(() -> TokenDetails.fromJson("{\"token\":\"t\",\"clientId\":5}"))
                .hasMessageContaining("clientId");
        assertThatThrownBy(() -> TokenDetails.fromJson("[]")).isInstanceOf(AuthException.class);
    }

    @Test
    void toString_longToken_shortened() {
        assertThat(new TokenDetails("hdt1.0123456789abcdefghij.sig", "a.b", 1, 2, "{}", null).toString())
                .contains("hdt1.0123456...")
                .doesNotContain("abcdefghij");
    }
}

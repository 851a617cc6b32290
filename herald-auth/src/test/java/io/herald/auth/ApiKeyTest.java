package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ApiKeyTest {

    /** The ably-js key regex (JS common/lib/client/baseclient.ts); \s widened to JavaScript's Unicode whitespace. */
    private static final Pattern ABLY_JS_KEY =
            Pattern.compile("^([^:\\s]+):([^:.\\s]+)$", Pattern.UNICODE_CHARACTER_CLASS);

    @Test
    void parse_wellFormedKey_splitsParts() {
        ApiKey key = ApiKey.parse("appId1.keyId1:s3cr3t-_Value");
        assertThat(key.appId()).isEqualTo("appId1");
        assertThat(key.keyId()).isEqualTo("keyId1");
        assertThat(key.secret()).isEqualTo("s3cr3t-_Value");
        assertThat(key.keyName()).isEqualTo("appId1.keyId1");
        assertThat(key.keyString()).isEqualTo("appId1.keyId1:s3cr3t-_Value");
    }

    @Test
    void toString_anyKey_masksSecret() {
        assertThat(ApiKey.parse("app.key:topSecretValue")).hasToString("app.key:***");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "no colon            | appkeytopSecretValue                | no ':'",
                "two colons          | app.key:topSecret:Value             | exactly one ':'",
                "dot in secret       | app.key:topSecret.Value             | secret must not contain",
                "space in secret     | 'app.key:topSecret Value'           | secret must not contain",
                "nbsp in secret      | app.key:topSecret\u00a0Value        | secret must not contain",
                "line sep in secret  | app.key:topSecret\u2028Value        | secret must not contain",
                "empty secret        | app.key:                            | secret is empty",
                "no dot in name      | appkey:topSecretValue               | exactly one '.'",
                "two dots in name    | app.key.x:topSecretValue            | exactly one '.'",
                "empty app id        | .key:topSecretValue                 | app id is empty",
                "empty key id        | app.:topSecretValue                 | key id is empty",
                "space in name       | 'ap p.key:topSecretValue'           | app id must not contain",
                "tab in key id       | app.k\tey:topSecretValue            | key id must not contain"
            })
    void parse_malformedKey_throws400WithoutSecret(String label, String key, String expected) {
        String k = key.replace("\\t", "\t");
        assertThatThrownBy(() -> ApiKey.parse(k))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.code()).isEqualTo(40000);
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.getMessage()).doesNotContain("topSecret").doesNotContain("Value");
                })
                .hasMessageContaining(expected);
    }

    @Test
    void parse_nullOrEmpty_throws400() {
        assertThatThrownBy(() -> ApiKey.parse(null))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("missing");
        assertThatThrownBy(() -> ApiKey.parse(""))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void constructor_invalidSecret_rejected() {
        assertThatThrownBy(() -> new ApiKey("app", "key", "a:b")).isInstanceOf(AuthException.class);
    }

    @Test
    void generate_manyKeys_parseBackAndMatchAblyJsRegex() {
        Set<String> secrets = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            ApiKey key = ApiKey.generate("myApp");
            assertThat(key.appId()).isEqualTo("myApp");
            assertThat(key.keyId()).matches("[A-Za-z0-9_-]{6,8}");
            assertThat(key.secret()).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(ABLY_JS_KEY.matcher(key.keyString()).matches())
                    .as(key.keyName())
                    .isTrue();
            assertThat(ApiKey.parse(key.keyString())).isEqualTo(key);
            secrets.add(key.secret());
        }
        assertThat(secrets).hasSize(500);
    }

    @Test
    void generate_invalidAppId_rejected() {
        assertThatThrownBy(() -> ApiKey.generate("a.b")).isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> ApiKey.generate("")).isInstanceOf(AuthException.class);
    }
}

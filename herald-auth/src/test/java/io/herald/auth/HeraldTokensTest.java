package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeraldTokensTest {

    private static final ApiKey KEY = ApiKey.parse("app1.key1:Zx3v9Q-k_7TtWqA2bLpR0sYdE5fUgHiJ1mNoP4rS6uV");
    private static final TokenClaims CLAIMS = new TokenClaims(
            "app1.key1",
            "tok-123",
            "user:1",
            "{\"chat:*\":[\"publish\"]}",
            1_700_000_000_000L,
            1_700_003_600_000L,
            "rk-9");

    @Test
    void verify_issuedToken_roundTripsClaims() {
        String token = HeraldTokens.issue(KEY, CLAIMS);
        assertThat(token).startsWith("hdt1.").doesNotContain(":").matches("[A-Za-z0-9_.-]+");
        assertThat(HeraldTokens.looksLikeHeraldToken(token)).isTrue();
        assertThat(AblyJwt.looksLikeJwt(token)).isFalse();
        assertThat(HeraldTokens.verify(token, KEY)).isEqualTo(CLAIMS);
        assertThat(HeraldTokens.decodeUnverified(token)).isEqualTo(CLAIMS);
    }

    @Test
    void verify_nullableClaimsAbsent_roundTripsNulls() {
        TokenClaims claims =
                new TokenClaims("app1.key1", HeraldTokens.newTokenId(), null, "{\"*\":[\"*\"]}", 1, 2, null);
        assertThat(HeraldTokens.verify(HeraldTokens.issue(KEY, claims), KEY)).isEqualTo(claims);
    }

    @Test
    void verify_anyCharacterTampered_rejected() {
        String token = HeraldTokens.issue(KEY, CLAIMS);
        char[] alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.".toCharArray();
        for (int i = 0; i < token.length(); i++) {
            for (char replacement :
                    new char[] {alphabet[(indexOf(alphabet, token.charAt(i)) + 1) % alphabet.length], 'Q', '.'}) {
                if (replacement == token.charAt(i)) {
                    continue;
                }
                String tampered = token.substring(0, i) + replacement + token.substring(i + 1);
                assertThatThrownBy(() -> HeraldTokens.verify(tampered, KEY))
                        .as("position " + i + " -> " + replacement)
                        .isInstanceOfSatisfying(
                                AuthException.class, e -> assertThat(e.code()).isIn(40143, 40145));
            }
        }
    }

    @Test
    void verify_truncatedOrExtended_rejected() {
        String token = HeraldTokens.issue(KEY, CLAIMS);
        assertThatThrownBy(() -> HeraldTokens.verify(token.substring(0, token.length() - 1), KEY))
                .isInstanceOf(AuthException.class);
        assertThatThrownBy(() -> HeraldTokens.verify(token + "A", KEY)).isInstanceOf(AuthException.class);
    }

    @Test
    void verify_wrongSecret_rejected40143() {
        String token = HeraldTokens.issue(KEY, CLAIMS);
        ApiKey sameNameOtherSecret = new ApiKey("app1", "key1", "differentSecret");
        assertThatThrownBy(() -> HeraldTokens.verify(token, sameNameOtherSecret))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.code()).isEqualTo(40143);
                    assertThat(e.statusCode()).isEqualTo(401);
                });
    }

    @Test
    void verify_otherKeyWithForeignKeyName_rejected() {
        ApiKey other = ApiKey.generate("app2");
        String token = HeraldTokens.issue(other, new TokenClaims(other.keyName(), "t", null, "{}", 1, 2, null));
        assertThatThrownBy(() -> HeraldTokens.verify(token, KEY)).isInstanceOf(AuthException.class);
    }

    @Test
    void verify_tokenRequestMacOverSameText_notAccepted() {
        // domain separation: a signature made with the raw secret (the TokenRequest MAC key) is not a token signature
        String signed = HeraldTokens.issue(KEY, CLAIMS);
        String prefixAndPayload = signed.substring(0, signed.lastIndexOf('.'));
        byte[] rawKeyMac = Crypto.hmacSha256(KEY.secret(), prefixAndPayload);
        String forged =
                prefixAndPayload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rawKeyMac);
        assertThatThrownBy(() -> HeraldTokens.verify(forged, KEY)).isInstanceOf(AuthException.class);
    }

    @Test
    void issue_randomClaims_neverColonNeverLeadingBraceAlwaysUrlSafe() {
        Random rnd = new Random(42);
        for (int i = 0; i < 2000; i++) {
            TokenClaims c = new TokenClaims(
                    KEY.keyName(),
                    HeraldTokens.newTokenId(),
                    rnd.nextBoolean() ? null : randomText(rnd),
                    "{\"" + randomText(rnd).replace("\"", "") + "\":[\"publish\"]}",
                    rnd.nextLong(),
                    rnd.nextLong(),
                    rnd.nextBoolean() ? null : randomText(rnd));
            String token = HeraldTokens.issue(KEY, c);
            assertThat(token)
                    .doesNotContain(":")
                    .doesNotStartWith("{")
                    .matches("hdt1\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]{43}");
            assertThat(HeraldTokens.verify(token, KEY)).isEqualTo(c);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "hdt1.",
                "hdt1..",
                "hdt1.abc",
                "hdt1.abc.",
                "hdt1.a+b.c",
                "hdt1.e30.sig",
                "hdt1.!!!.x",
                "hdt2.e30.sig",
                "xyz",
                "hdt1.bm90IGpzb24.sig",
                "hdt1.W10.sig"
            })
    void decodeUnverified_unparseable_throws40145(String token) {
        assertThatThrownBy(() -> HeraldTokens.decodeUnverified(token))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.code()).isEqualTo(40145);
                    assertThat(e.statusCode()).isEqualTo(401);
                })
                .hasMessage("Invalid token format");
    }

    @Test
    void decodeUnverified_wrongClaimType_throws40145() {
        String payload = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("{\"key\":\"a.b\",\"jti\":\"t\",\"cap\":\"{}\",\"iat\":\"1\",\"exp\":2}"
                        .getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> HeraldTokens.decodeUnverified("hdt1." + payload + ".sig"))
                .isInstanceOfSatisfying(
                        AuthException.class, e -> assertThat(e.code()).isEqualTo(40145));
    }

    @Test
    void issue_claimsOfOtherKey_illegalArgument() {
        assertThatThrownBy(() -> HeraldTokens.issue(ApiKey.generate("x"), CLAIMS))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void newTokenId_twoCalls_differ() {
        assertThat(HeraldTokens.newTokenId()).hasSize(22).isNotEqualTo(HeraldTokens.newTokenId());
    }

    private static int indexOf(char[] a, char c) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == c) {
                return i;
            }
        }
        return 0;
    }

    private static String randomText(Random rnd) {
        String chars = "ab:{}[]\"\\ é😀\n<>&=?*.-_/+";
        StringBuilder sb = new StringBuilder();
        int n = 1 + rnd.nextInt(12);
        for (int i = 0; i < n; i++) {
            sb.append(chars.charAt(rnd.nextInt(chars.length())));
        }
        return sb.toString().replace("\ud83d", "x").replace("\ude00", "y");
    }
}

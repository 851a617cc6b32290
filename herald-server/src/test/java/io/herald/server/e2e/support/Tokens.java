package io.herald.server.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;

/** Tokens from the server under test, through its requestToken endpoint with TokenRequests signed by herald-auth. */
public final class Tokens {
    private Tokens() {}

    public static TokenRequest signed(ApiKey key, TokenParams params) {
        return TokenRequests.create(key, params, Clock.systemUTC());
    }

    public static Http.Response post(TestServer server, String keyName, String body) {
        return Http.postJson(server.uri("/keys/" + keyName + "/requestToken"), body);
    }

    /** TokenDetails JSON for a signed TokenRequest; fails unless the server answers 200. */
    public static JsonNode details(TestServer server, ApiKey key, TokenParams params) {
        Http.Response r = post(server, key.keyName(), signed(key, params).toJson());
        assertThat(r.status()).as("requestToken: %s", r).isEqualTo(200);
        return r.json();
    }

    public static String token(TestServer server, ApiKey key, TokenParams params) {
        return details(server, key, params).path("token").asText();
    }

    /**
     * The token with its payload's clientId claim changed to {@code clientId} and the original signature kept: a
     * forgery the server must refuse. Herald tokens are {@code hdt1.<base64url payload>.<base64url mac>}.
     */
    public static String forgeClientId(String token, String clientId) {
        String[] parts = token.split("\\.");
        assertThat(parts).as("a Herald token hdt1.<payload>.<mac>: %s", token).hasSize(3);
        java.util.Base64.Decoder dec = java.util.Base64.getUrlDecoder();
        com.fasterxml.jackson.databind.node.ObjectNode payload = (com.fasterxml.jackson.databind.node.ObjectNode)
                Json.parse(new String(dec.decode(parts[1]), java.nio.charset.StandardCharsets.UTF_8));
        payload.put("cid", clientId);
        String forged = java.util.Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString(Json.write(payload).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return parts[0] + "." + forged + "." + parts[2];
    }

    public static String token(TestServer server, ApiKey key, String clientId, Duration ttl) {
        return details(server, key, clientId, ttl).path("token").asText();
    }

    /** TokenDetails JSON for {@code clientId} with this ttl. */
    public static JsonNode details(TestServer server, ApiKey key, String clientId, Duration ttl) {
        TokenParams p = new TokenParams();
        p.clientId = clientId;
        p.ttl = ttl == null ? null : ttl.toMillis();
        return details(server, key, p);
    }

    /**
     * Revokes {@code clientId}'s tokens with {@code key} (POST {@code revokeTokensUri}, issuedBefore the server's now)
     * until the revocation covers a token issued at {@code issued}: a revocation covers tokens issued strictly before
     * its issuedBefore, so one made in the token's own millisecond does not, and the request is made again.
     */
    public static void revokeCovering(URI revokeTokensUri, ApiKey key, String clientId, long issued) {
        long issuedBefore = issued;
        for (int attempt = 0; attempt < 1_000 && issuedBefore <= issued; attempt++) {
            Http.Response r = Http.postJson(
                    revokeTokensUri, "{\"targets\":[\"clientId:" + clientId + "\"]}", "Authorization", Http.basic(key));
            assertThat(r.status()).as("%s", r).isBetween(200, 201);
            issuedBefore = r.json().path("results").path(0).path("issuedBefore").asLong();
        }
        assertThat(issuedBefore)
                .as("a revocation covering the token issued at %s", issued)
                .isGreaterThan(issued);
    }
}

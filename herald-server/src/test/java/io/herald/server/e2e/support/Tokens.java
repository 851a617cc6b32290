package io.herald.server.e2e.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import java.time.Clock;
import java.time.Duration;

/** Tokens from the server under test, through its requestToken endpoint with TokenRequests signed by herald-auth. */
public final class Tokens {
    private Tokens() {
    }

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

    public static String token(TestServer server, ApiKey key, String clientId, Duration ttl) {
        TokenParams p = new TokenParams();
        p.clientId = clientId;
        p.ttl = ttl == null ? null : ttl.toMillis();
        return token(server, key, p);
    }
}

package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The test-only sandbox ({@code sandbox: true}) cannot be used to take over apps: anyone may create a new app, but
 * replacing an existing one ({@code "replica": true}) or deleting it needs Basic auth with a full-capability key of
 * that very app, and configured apps are never replaced or deleted. Connections of a deleted app's keys are closed.
 */
class SandboxIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = TestServer.perClass("sandbox: true");

    private static JsonNode createApp() {
        Http.Response r = Http.postJson(server.uri("/apps"), "{\"keys\":[{}]}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        return r.json();
    }

    private static ApiKey keyOf(JsonNode app) {
        return ApiKey.parse(app.path("keys").get(0).path("keyStr").asText());
    }

    /** A replica of {@code app} whose only key is a fresh one: what a takeover would post. */
    private static String takeover(String appId) {
        ApiKey mine = ApiKey.generate(appId);
        return "{\"appId\":\"" + appId + "\",\"replica\":true,\"keys\":[{\"keyStr\":\"" + mine.keyString() + "\"}]}";
    }

    private static int statusWithKey(ApiKey key) {
        return Http.get(server.uri("/channels/sandboxed/messages"), "Authorization", Http.basic(key))
                .status();
    }

    private static Http.Response delete(String appId, String... headers) {
        return Http.send(Http.request(server.uri("/apps/" + appId))
                .DELETE()
                .headers(headers.length == 0 ? new String[] {"X-None", "1"} : headers)
                .build());
    }

    @Test
    void replica_ofAnExistingApp_withoutCredentials_refusedAndTheAppKeepsItsKeys() {
        JsonNode victim = createApp();
        String appId = victim.path("appId").asText();
        Http.assertAblyError(Http.postJson(server.uri("/apps"), takeover(appId)), 401, 40101);
        assertThat(statusWithKey(keyOf(victim)))
                .as("the owner's key still works")
                .isEqualTo(200);
    }

    @Test
    void replica_ofAnExistingApp_withAnotherTenantsKey_refused() {
        JsonNode victim = createApp();
        JsonNode attacker = createApp();
        String appId = victim.path("appId").asText();
        Http.assertAblyError(
                Http.postJson(server.uri("/apps"), takeover(appId), "Authorization", Http.basic(keyOf(attacker))),
                401,
                40101);
        assertThat(statusWithKey(keyOf(victim))).isEqualTo(200);
    }

    @Test
    void replica_ofAConfiguredApp_refusedEvenWithItsKey() {
        Http.assertAblyError(
                Http.postJson(server.uri("/apps"), takeover("test"), "Authorization", Http.basic(server.full)),
                403,
                40300);
        Http.assertAblyError(Http.postJson(server.uri("/apps"), takeover("test")), 401, 40101);
        assertThat(statusWithKey(server.full)).isEqualTo(200);
    }

    @Test
    void replica_byTheOwner_replacesTheApp() {
        JsonNode app = createApp();
        ApiKey owner = keyOf(app);
        ApiKey replacement = ApiKey.generate(owner.appId());
        String body = "{\"appId\":\"" + owner.appId() + "\",\"replica\":true,\"keys\":[{\"keyStr\":\""
                + replacement.keyString() + "\"}]}";
        Http.Response r = Http.postJson(server.uri("/apps"), body, "Authorization", Http.basic(owner));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(statusWithKey(replacement)).isEqualTo(200);
        assertThat(statusWithKey(owner)).as("the replaced key").isEqualTo(401);
    }

    @Test
    void replica_ofANewAppId_needsNoCredentials() {
        ApiKey k = ApiKey.generate("fresh" + System.nanoTime() % 100000);
        String body =
                "{\"appId\":\"" + k.appId() + "\",\"replica\":true,\"keys\":[{\"keyStr\":\"" + k.keyString() + "\"}]}";
        assertThat(Http.postJson(server.uri("/apps"), body).status()).isEqualTo(201);
        assertThat(statusWithKey(k)).isEqualTo(200);
    }

    @Test
    void delete_withoutCredentialsOrWithAnotherTenantsKey_refused() {
        JsonNode victim = createApp();
        JsonNode attacker = createApp();
        String appId = victim.path("appId").asText();
        Http.assertAblyError(delete(appId), 401, 40101);
        Http.assertAblyError(delete(appId, "Authorization", Http.basic(keyOf(attacker))), 401, 40101);
        Http.assertAblyError(delete("test", "Authorization", Http.basic(server.full)), 403, 40300);
        assertThat(statusWithKey(keyOf(victim))).isEqualTo(200);
        assertThat(statusWithKey(server.full)).isEqualTo(200);
    }

    @Test
    void delete_byTheOwner_removesTheAppAndClosesItsConnections() {
        JsonNode app = createApp();
        ApiKey owner = keyOf(app);
        try (RawWs ws = RawWs.open(server, "key=" + RawWs.enc(owner.keyString()) + "&format=json")) {
            ws.awaitAction(4, WAIT);
            assertThat(delete(owner.appId(), "Authorization", Http.basic(owner)).status())
                    .isEqualTo(204);
            RawWs.Frame f = ws.awaitAction(6, WAIT);
            assertThat(f.message().path("error").path("code").asInt())
                    .as("%s", f)
                    .isEqualTo(40131);
        }
        assertThat(statusWithKey(owner)).isEqualTo(401);
    }
}

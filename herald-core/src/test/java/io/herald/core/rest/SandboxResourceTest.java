package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import io.herald.protocol.Action;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Sandbox provisioning ({@code --sandbox}): creating apps with keys, namespaces and presence fixtures, replicas of an
 * app on another node, and who may replace or delete an app.
 */
class SandboxResourceTest {
    private final ApiKey configured = ApiKey.generate("conf");
    private final TestNode t = new TestNode(
            TestNode.sandbox(TestNode.config(new AppConfig("conf", List.of(KeyConfig.fullAccess(configured))))));

    @AfterEach
    void close() {
        t.close();
    }

    private static ApiKey keyOf(JsonNode app, int i) {
        return ApiKey.parse(app.at("/keys/" + i + "/keyStr").asText());
    }

    @Test
    void createApp_withOneEmptyKeySpec_makesAnAppWithOneFullKeyThatWorks() {
        Response r = t.post("/apps", "{\"keys\":[{}]}").send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String appId = r.json().get("appId").asText();
        assertThat(appId).matches("[A-Za-z0-9]{6}");
        assertThat(r.json().get("accountId").asText()).isEqualTo("herald");
        assertThat(r.json().get("keys")).hasSize(1);
        ApiKey k = keyOf(r.json(), 0);
        assertThat(k.appId()).isEqualTo(appId);
        assertThat(r.json().at("/keys/0/keyName").asText()).isEqualTo(k.keyName());
        assertThat(r.json().at("/keys/0/capability").asText()).isEqualTo(Capability.ALL.canonical());
        assertThat(r.json().at("/keys/0/revocableTokens").asBoolean()).isFalse();
        assertThat(t.get("/stats").basic(k).send().status()).isEqualTo(200);
        assertThat(t.node.keys().isDynamic(appId)).isTrue();
    }

    @Test
    void createApp_withKeysNamespacesAndPresenceFixtures() {
        Response r = t.post(
                        "/apps",
                        "{\"keys\":[{},{\"capability\":{\"chat:*\":[\"subscribe\"]},\"revocableTokens\":true,"
                                + "\"label\":\"x\"}],\"namespaces\":[{\"id\":\"persisted\",\"persisted\":true}],"
                                + "\"channels\":[{\"name\":\"fixtures\",\"presence\":[{\"clientId\":\"c1\",\"data\":\"d1\"},"
                                + "{\"clientId\":\"c2\",\"data\":{\"n\":1},\"encoding\":\"json\"}]},{\"name\":\"nobody\"}]}")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        String appId = r.json().get("appId").asText();
        assertThat(r.json().at("/keys/1/capability").asText()).isEqualTo("{\"chat:*\":[\"subscribe\"]}");
        assertThat(r.json().at("/keys/1/revocableTokens").asBoolean()).isTrue();
        assertThat(r.json().at("/keys/1/label").asText())
                .as("spec fields echoed")
                .isEqualTo("x");
        assertThat(r.json().at("/namespaces/0/id").asText()).isEqualTo("persisted");
        assertThat(r.json().at("/channels/0/name").asText()).isEqualTo("fixtures");
        assertThat(t.node.keys().app(appId).namespace("persisted").persisted()).isTrue();
        assertThat(t.node.keys().key(keyOf(r.json(), 1).keyName()).revocableTokens())
                .isTrue();

        Response members =
                t.get("/channels/fixtures/presence").basic(keyOf(r.json(), 0)).send();
        assertThat(members.status()).isEqualTo(200);
        assertThat(members.json()).hasSize(2);
        JsonNode c2 = members.json().get(0).get("clientId").asText().equals("c2")
                ? members.json().get(0)
                : members.json().get(1);
        assertThat(c2.get("data").asText()).isEqualTo("{\"n\":1}");
        assertThat(c2.get("encoding").asText()).isEqualTo("json");
    }

    @Test
    void createApp_refusesInvalidCapabilityAndNamespace() {
        Response cap = t.post("/apps", "{\"keys\":[{\"capability\":\"nope\"}]}").send();
        assertThat(cap.status()).isEqualTo(400);
        assertThat(cap.errorCode()).isEqualTo(40003);
        assertThat(cap.errorMessage()).startsWith("Invalid key capability");
        Response ns = t.post("/apps", "{\"namespaces\":[{\"id\":\"a:b\"}]}").send();
        assertThat(ns.errorCode()).isEqualTo(40003);
        assertThat(ns.errorMessage()).startsWith("Invalid namespace");
    }

    @Test
    void replica_onAnotherNode_hasTheSameKeys_withoutSeedingFixturesAgain() {
        Response original = t.post(
                        "/apps", "{\"keys\":[{}],\"channels\":[{\"name\":\"f\",\"presence\":[{\"clientId\":\"c\"}]}]}")
                .send();
        ObjectNodeBody replica = new ObjectNodeBody(original.json()).replica();
        try (TestNode other = new TestNode(TestNode.sandbox(TestNode.config()))) {
            Response r = other.post("/apps", replica.toString()).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.json().get("appId").asText())
                    .isEqualTo(original.json().get("appId").asText());
            ApiKey k = keyOf(original.json(), 0);
            assertThat(keyOf(r.json(), 0)).isEqualTo(k);
            assertThat(other.get("/channels/f/presence").basic(k).send().json())
                    .as("not seeded twice")
                    .isEmpty();
            assertThat(t.get("/channels/f/presence").basic(k).send().json()).hasSize(1);

            ApiKey foreign = ApiKey.generate("zzz");
            Response wrongApp = other.post(
                            "/apps",
                            "{\"replica\":true,\"appId\":\"yyy\",\"keys\":[{\"keyStr\":\"" + foreign.keyString()
                                    + "\"}]}")
                    .send();
            assertThat(wrongApp.errorCode()).isEqualTo(40003);
            assertThat(wrongApp.errorMessage()).startsWith("keyStr of another app");
            Response badKey = other.post("/apps", "{\"replica\":true,\"appId\":\"yyy\",\"keys\":[{\"keyStr\":\"x\"}]}")
                    .send();
            assertThat(badKey.errorMessage()).startsWith("Invalid keyStr");
        }
    }

    @Test
    void replacingAnExistingApp_needsBasicAuthWithAFullKeyOfThatProvisionedApp_andClosesItsConnections() {
        Response created = t.post("/apps", "{\"keys\":[{},{\"capability\":{\"*\":[\"subscribe\"]}}]}")
                .send();
        JsonNode app = created.json();
        ApiKey full = keyOf(app, 0);
        ApiKey partial = keyOf(app, 1);
        String replica = new ObjectNodeBody(app).replica().toString();

        assertThat(t.post("/apps", replica).send().errorCode()).isEqualTo(40101);
        String token = t.token(full, null, null, Duration.ofMinutes(5));
        assertThat(t.post("/apps", replica).bearer(token).send().errorCode()).isEqualTo(40162);
        Response notFull = t.post("/apps", replica).basic(partial).send();
        assertThat(notFull.errorCode()).isEqualTo(40160);
        Response otherApp = t.post("/apps", replica).basic(configured).send();
        assertThat(otherApp.errorCode()).isEqualTo(40101);
        assertThat(otherApp.errorMessage()).contains("not for app");

        TestNode.Client live = t.connect(Map.of("key", partial.keyString()));
        assertThat(live.connected().action).isEqualTo(Action.CONNECTED);
        live.attach("room");
        assertThat(live.of(Action.ATTACHED)).hasSize(1);
        String changed = replica.replace("{\\\"*\\\":[\\\"subscribe\\\"]}", "{\\\"*\\\":[\\\"publish\\\"]}");
        Response replaced = t.post("/apps", changed).basic(full).send();
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(201);
        t.loop.runPending();
        assertThat(live.of(Action.ERROR))
                .as("its capability no longer lets the live connection subscribe")
                .singleElement()
                .satisfies(pm -> {
                    assertThat(pm.channel).isEqualTo("room");
                    assertThat(pm.error.code()).isEqualTo(40160);
                });
        assertThat(live.transport.isOpen()).isTrue();
        assertThat(t.node.keys().key(partial.keyName()).capability().canonical())
                .isEqualTo("{\"*\":[\"publish\"]}");
    }

    @Test
    void configuredApps_cannotBeReplacedOrDeleted() {
        Response del = t.request("DELETE", "/apps/conf").basic(configured).send();
        assertThat(del.status()).isEqualTo(403);
        assertThat(del.errorCode()).isEqualTo(40300);
        Response replace = t.post("/apps", "{\"replica\":true,\"appId\":\"conf\"}")
                .basic(configured)
                .send();
        assertThat(replace.errorCode()).isEqualTo(40300);
        assertThat(t.get("/stats").basic(configured).send().status()).isEqualTo(200);
    }

    @Test
    void deleteApp_removesItsKeys() {
        JsonNode app = t.post("/apps", "{\"keys\":[{}]}").send().json();
        ApiKey k = keyOf(app, 0);
        String path = "/apps/" + app.get("appId").asText();
        assertThat(t.request("DELETE", path).send().errorCode()).isEqualTo(40101);
        TestNode.Client live = t.connect(Map.of("key", k.keyString()));
        Response r = t.request("DELETE", path).basic(k).send();
        assertThat(r.status()).isEqualTo(204);
        assertThat(r.raw().body()).isEmpty();
        Response after = t.get("/stats").basic(k).send();
        assertThat(after.status()).isEqualTo(401);
        assertThat(after.errorCode()).isEqualTo(40101);
        assertThat(t.node.keys().app(app.get("appId").asText())).isNull();
        t.loop.runPending();
        assertThat(live.of(Action.DISCONNECTED))
                .singleElement()
                .satisfies(pm -> assertThat(pm.error.code()).isEqualTo(40131));
    }

    @Test
    void postStats_storesFixturesForTheCallersApp_andNeedsItsKey() {
        String fixture = "[{\"intervalId\":\"2024-01-01:00:00\",\"channels\":{\"opened\":3}}]";
        assertThat(t.post("/stats", fixture).send().status()).isEqualTo(401);
        ApiKey k = keyOf(t.post("/apps", "{}").send().json(), 0);
        Response r = t.post("/stats", fixture).basic(k).send();
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.json().isObject()).isTrue();
        Response read =
                t.get("/stats").query("end", "2024-01-01:00:00").basic(k).send();
        assertThat(read.json().get(0).at("/entries").get("channels.opened").asLong())
                .isEqualTo(3);
    }

    /** The answer of {@code POST /apps} turned into the body that creates its replica on another node. */
    private record ObjectNodeBody(JsonNode created) {
        ObjectNodeBody replica() {
            ((com.fasterxml.jackson.databind.node.ObjectNode) created).put("replica", true);
            return this;
        }

        @Override
        public String toString() {
            return created.toString();
        }
    }

    @Test
    void createApp_withoutKeys_getsOneFullAccessKey() {
        for (String body : new String[] {"{}", "{\"keys\":[]}", ""}) {
            Response r = t.post("/apps", body).send();
            assertThat(r.status()).as(body).isEqualTo(201);
            assertThat(r.json().get("keys")).as(body).hasSize(1);
            assertThat(r.json().at("/keys/0/capability").asText()).isEqualTo(Capability.ALL.canonical());
        }
    }
}

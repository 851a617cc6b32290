package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolCodec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /channels/{name}/…} over REST, in-process: publish (formats, clientId rules, idempotency, on behalf of a
 * connection, size and rate limits), history and presence history with paging, presence get with filters and paging,
 * channel status, and the capability check of each (40160).
 */
class ChannelResourceTest {
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey subscriber = ApiKey.generate("app");
    private final ApiKey otherAppKey = ApiKey.generate("other");
    private final ApiKey slowKey = ApiKey.generate("slow");
    private final TestNode t = new TestNode(
            new AppConfig(
                    "app",
                    List.of(
                            KeyConfig.fullAccess(key),
                            new KeyConfig(
                                    subscriber, Capability.parse("{\"chat:*\":[\"subscribe\",\"history\"]}"), false))),
            new AppConfig("other", List.of(KeyConfig.fullAccess(otherAppKey))),
            new AppConfig(
                    "slow",
                    List.of(KeyConfig.fullAccess(slowKey)),
                    List.of(),
                    List.of(),
                    Limits.DEFAULTS.withRates(4, 3, 0)));

    @AfterEach
    void close() {
        t.close();
    }

    private Response publish(String channel, String json) {
        return t.post("/channels/" + channel + "/messages", json).basic(key).send();
    }

    private JsonNode history(String channel) {
        Response r = t.get("/channels/" + channel + "/messages").basic(key).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json();
    }

    @Test
    void publish_answers201WithIdAndSerials_andHistoryHasTheMessages() {
        Response r = publish("room", "[{\"name\":\"a\",\"data\":\"one\"},{\"name\":\"b\",\"data\":\"two\"}]");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().get("channel").asText()).isEqualTo("room");
        String messageId = r.json().get("messageId").asText();
        assertThat(messageId).isNotBlank().doesNotContain(":");
        assertThat(r.json().get("serials")).hasSize(2);
        assertThat(t.observer.events()).contains("messagesIn 2", "rest POST /channels/{name}/messages 201");

        JsonNode h = history("room");
        assertThat(h).hasSize(2);
        assertThat(h.get(0).get("data").asText()).as("newest first").isEqualTo("two");
        assertThat(h.get(1).get("id").asText()).isEqualTo(messageId + ":0");
        assertThat(h.get(1).get("timestamp").asLong()).isEqualTo(t.clock.millis());
        assertThat(h.get(1).has("clientId")).isFalse();
        assertThat(t.get("/channels/room/history").basic(key).send().json()).isEqualTo(h);
    }

    @Test
    void publish_msgpackBody_isDecoded() {
        Message m = new Message("bin", "packed");
        byte[] body = ProtocolCodec.of(Format.MSGPACK).encodeMessages(List.of(m));
        Response r = t.request("POST", "/channels/room/messages")
                .body(body, "application/x-msgpack")
                .basic(key)
                .header("Accept", "application/x-msgpack")
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.header("Content-Type")).contains("msgpack");
        assertThat(history("room").get(0).get("data").asText()).isEqualTo("packed");
    }

    @Test
    void publish_clientIdHeader_rules() {
        String alice = Base64.getEncoder().encodeToString("alice".getBytes(StandardCharsets.UTF_8));
        Response basic = t.post("/channels/room/messages", "{\"data\":\"x\"}")
                .basic(key)
                .header("X-Ably-ClientId", alice)
                .send();
        assertThat(basic.status()).isEqualTo(201);
        assertThat(history("room").get(0).get("clientId").asText()).isEqualTo("alice");

        Response notBase64 = t.post("/channels/room/messages", "{\"data\":\"x\"}")
                .basic(key)
                .header("X-Ably-ClientId", "%%%")
                .send();
        assertThat(notBase64.status()).isEqualTo(400);
        assertThat(notBase64.errorCode()).isEqualTo(40004);

        String bobToken = t.token(key, "bob", null, Duration.ofMinutes(5));
        Response other = t.post("/channels/room/messages", "{\"data\":\"x\"}")
                .bearer(bobToken)
                .header("X-Ably-ClientId", alice)
                .send();
        assertThat(other.status()).isEqualTo(401);
        assertThat(other.errorCode()).isEqualTo(40102);
        assertThat(other.errorMessage()).contains("'bob'", "'alice'");

        String anonymous = t.token(key, null, null, Duration.ofMinutes(5));
        Response anon = t.post("/channels/room/messages", "{\"data\":\"x\"}")
                .bearer(anonymous)
                .header("X-Ably-ClientId", alice)
                .send();
        assertThat(anon.errorCode()).isEqualTo(40102);
        Response anonInMessage = t.post("/channels/room/messages", "{\"data\":\"x\",\"clientId\":\"carol\"}")
                .bearer(anonymous)
                .send();
        assertThat(anonInMessage.status()).isEqualTo(400);
        assertThat(anonInMessage.errorCode()).isEqualTo(40012);

        Response bobOwn = t.post("/channels/room/messages", "{\"data\":\"mine\"}")
                .bearer(bobToken)
                .send();
        assertThat(bobOwn.status()).isEqualTo(201);
        assertThat(history("room").get(0).get("clientId").asText()).isEqualTo("bob");
        String wildcard = t.token(key, "*", null, Duration.ofMinutes(5));
        assertThat(t.post("/channels/room/messages", "{\"data\":\"w\",\"clientId\":\"dave\"}")
                        .bearer(wildcard)
                        .send()
                        .status())
                .isEqualTo(201);
        assertThat(history("room").get(0).get("clientId").asText()).isEqualTo("dave");
    }

    @Test
    void publish_withOwnIds_isIdempotent() {
        Response first = publish("room", "{\"id\":\"m-1\",\"data\":\"x\"}");
        assertThat(first.json().get("messageId").asText()).isEqualTo("m-1");
        assertThat(first.json().get("serials").get(0).isTextual()).isTrue();
        Response again = publish("room", "{\"id\":\"m-1\",\"data\":\"x\"}");
        assertThat(again.status()).isEqualTo(201);
        assertThat(again.json().get("serials").get(0).isNull()
                        || again.json().get("serials").get(0).isMissingNode())
                .as(again.toString())
                .isTrue();
        assertThat(history("room")).hasSize(1);
    }

    @Test
    void publish_onBehalfOfAConnection_carriesItsConnectionId() {
        TestNode.Client c = t.connect(Map.of("key", key.keyString()));
        String connectionId = c.connected().connectionId;
        String connectionKey = c.connected().connectionDetails.connectionKey;
        Response r = publish("room", "{\"data\":\"x\",\"connectionKey\":\"" + connectionKey + "\"}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode stored = history("room").get(0);
        assertThat(stored.get("connectionId").asText()).isEqualTo(connectionId);
        assertThat(stored.has("connectionKey")).isFalse();

        Response otherApp = t.post(
                        "/channels/room/messages", "{\"data\":\"x\",\"connectionKey\":\"" + connectionKey + "\"}")
                .basic(otherAppKey)
                .send();
        assertThat(otherApp.status()).isEqualTo(400);
        assertThat(otherApp.errorCode()).isEqualTo(40006);
        assertThat(publish("room", "{\"data\":\"x\",\"connectionKey\":\"nobang\"}")
                        .errorCode())
                .isEqualTo(40006);
        assertThat(publish("room", "{\"data\":\"x\",\"connectionKey\":\"gone!abc\"}")
                        .errorCode())
                .isEqualTo(40006);
        assertThat(history("room")).hasSize(1);
    }

    @Test
    void publish_refusals() {
        Response noCap = t.post("/channels/chat:x/messages", "{\"data\":\"x\"}")
                .basic(subscriber)
                .send();
        assertThat(noCap.status()).isEqualTo(401);
        assertThat(noCap.errorCode()).isEqualTo(40160);
        assertThat(noCap.errorMessage()).contains("publish on channel 'chat:x'", "chat:*");

        Response badJson = publish("room", "{not json");
        assertThat(badJson.status()).isEqualTo(400);
        assertThat(badJson.errorCode()).isBetween(40000, 40001);

        Response empty = publish("room", "[]");
        assertThat(empty.errorCode()).isEqualTo(40001);
        assertThat(empty.errorMessage()).isEqualTo("No messages to publish");

        String filter = Base64.getEncoder().encodeToString("name == 'a'".getBytes(StandardCharsets.UTF_8));
        Response derived = publish("%5Bfilter=" + filter + "%5Droom", "{\"data\":\"x\"}");
        assertThat(derived.status()).as(derived.toString()).isEqualTo(400);
        assertThat(derived.errorMessage()).contains("derived");

        Response tooBig = publish("room", "{\"data\":\"" + "x".repeat(70_000) + "\"}");
        assertThat(tooBig.status()).isEqualTo(413);
        assertThat(tooBig.errorCode()).isEqualTo(40009);
        assertThat(tooBig.errorMessage()).contains("65536");

        Response badName = publish("%3Aroom", "{\"data\":\"x\"}");
        assertThat(badName.errorCode()).isEqualTo(40010);
        Response badEncoding = publish("%ZZ", "{\"data\":\"x\"}");
        assertThat(badEncoding.errorCode()).isEqualTo(40000);
        assertThat(badEncoding.errorMessage()).contains("percent-encoding");

        assertThat(history("room")).isEmpty();
    }

    @Test
    void publish_rateLimitPerKey_countsMessages_andRestRequestsCountTokenAndKeyAuthAlike() {
        Response three = t.post("/channels/r/messages", "[{\"data\":1},{\"data\":2},{\"data\":3}]")
                .basic(slowKey)
                .send();
        assertThat(three.status()).isEqualTo(201);
        Response fourth =
                t.post("/channels/r/messages", "{\"data\":4}").basic(slowKey).send();
        assertThat(fourth.status()).isEqualTo(429);
        assertThat(fourth.errorCode()).isEqualTo(42910);
        assertThat(fourth.errorMessage()).contains("messages published over REST per second", slowKey.keyName());

        String token = t.token(slowKey, null, null, Duration.ofMinutes(5));
        assertThat(t.get("/channels/r/messages").bearer(token).send().status()).isEqualTo(200);
        assertThat(t.get("/channels/r/messages").basic(slowKey).send().status()).isEqualTo(200);
        Response limited = t.get("/channels/r/messages").bearer(token).send();
        assertThat(limited.status())
                .as("2 publishes + 2 reads used the 4 requests of the key")
                .isEqualTo(429);
        assertThat(limited.errorMessage()).contains("REST requests per second");
        assertThat(t.get("/channels/r/messages").basic(key).send().status())
                .as("other keys unaffected")
                .isEqualTo(200);

        t.clock.advance(Duration.ofSeconds(1));
        assertThat(t.get("/channels/r/messages").basic(slowKey).send().status()).isEqualTo(200);
    }

    @Test
    void history_pagesBackwardsAndForwards_followingLinkHeaders() {
        for (int i = 1; i <= 5; i++) {
            publish("room", "{\"data\":\"m" + i + "\"}");
            t.clock.advance(Duration.ofMillis(10));
        }
        Response p1 =
                t.get("/channels/room/messages").query("limit", "2").basic(key).send();
        assertThat(data(p1)).containsExactly("m5", "m4");
        assertThat(p1.link("first")).isEqualTo("limit=2&direction=backwards");
        assertThat(p1.link("current")).isEqualTo("limit=2&direction=backwards");
        String next = p1.link("next");
        assertThat(next).startsWith("limit=2&direction=backwards&cursor=");

        Response p2 =
                t.get("/channels/room/messages").queryString(next).basic(key).send();
        assertThat(data(p2)).containsExactly("m3", "m2");
        assertThat(p2.link("current")).contains("cursor=");
        Response p3 = t.get("/channels/room/messages")
                .queryString(p2.link("next"))
                .basic(key)
                .send();
        assertThat(data(p3)).containsExactly("m1");
        assertThat(p3.link("next")).isNull();

        Response fwd = t.get("/channels/room/messages")
                .query("direction", "forwards")
                .query("limit", "3")
                .basic(key)
                .send();
        assertThat(data(fwd)).containsExactly("m1", "m2", "m3");
        long start = t.clock.millis() - 40;
        Response window = t.get("/channels/room/messages")
                .query("start", String.valueOf(start))
                .query("end", String.valueOf(start + 10))
                .basic(key)
                .send();
        assertThat(data(window)).containsExactly("m3", "m2");
        assertThat(window.link("first")).contains("start=" + start, "end=" + (start + 10));

        Response bad = t.get("/channels/room/messages")
                .query("limit", "5000")
                .basic(key)
                .send();
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.errorCode()).isEqualTo(40003);
        Response refused = t.get("/channels/secret/messages").basic(subscriber).send();
        assertThat(refused.errorCode()).isEqualTo(40160);
        assertThat(refused.errorMessage()).contains("history on channel 'secret'");
    }

    private static List<String> data(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().forEach(m -> out.add(m.get("data").asText()));
        return out;
    }

    @Test
    void presence_listsMembers_filteredAndPaged() {
        t.seedPresence("app", "chat:p", "conn1", "a", "b");
        t.seedPresence("app", "chat:p", "conn2", "c");
        Response all = t.get("/channels/chat:p/presence").basic(subscriber).send();
        assertThat(clientIds(all)).containsExactlyInAnyOrder("a", "b", "c");
        assertThat(all.link("first")).isEqualTo("limit=100");
        assertThat(all.link("next")).isNull();

        assertThat(clientIds(t.get("/channels/chat:p/presence")
                        .query("clientId", "b")
                        .basic(key)
                        .send()))
                .containsExactly("b");
        Response byConn = t.get("/channels/chat:p/presence")
                .query("connectionId", "conn2")
                .basic(key)
                .send();
        assertThat(clientIds(byConn)).containsExactly("c");
        assertThat(byConn.link("first")).isEqualTo("limit=100&connectionId=conn2");

        Response page1 = t.get("/channels/chat:p/presence")
                .query("limit", "2")
                .query("clientId", "x y")
                .basic(key)
                .send();
        assertThat(clientIds(page1)).isEmpty();
        assertThat(page1.link("first")).isEqualTo("limit=2&clientId=x+y");
        Response first2 = t.get("/channels/chat:p/presence")
                .query("limit", "2")
                .basic(key)
                .send();
        assertThat(clientIds(first2)).hasSize(2);
        assertThat(first2.link("next")).isEqualTo("limit=2&cursor=2");
        Response rest = t.get("/channels/chat:p/presence")
                .queryString(first2.link("next"))
                .basic(key)
                .send();
        assertThat(clientIds(rest)).hasSize(1);
        assertThat(rest.link("current")).isEqualTo("limit=2&cursor=2");
        assertThat(rest.link("next")).isNull();

        assertThat(t.get("/channels/chat:p/presence")
                        .query("limit", "0")
                        .basic(key)
                        .send()
                        .errorCode())
                .isEqualTo(40003);
        assertThat(t.get("/channels/chat:p/presence")
                        .query("limit", "x")
                        .basic(key)
                        .send()
                        .errorCode())
                .isEqualTo(40003);
        Response badCursor = t.get("/channels/chat:p/presence")
                .query("cursor", "-1")
                .basic(key)
                .send();
        assertThat(badCursor.errorCode()).isEqualTo(40003);
        assertThat(badCursor.errorMessage()).isEqualTo("Invalid cursor '-1'");
        assertThat(t.get("/channels/chat:p/presence")
                        .query("cursor", "z")
                        .basic(key)
                        .send()
                        .errorCode())
                .isEqualTo(40003);
        assertThat(t.get("/channels/p/presence").basic(subscriber).send().errorCode())
                .isEqualTo(40160);
    }

    private static List<String> clientIds(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        List<String> out = new ArrayList<>();
        r.json().forEach(m -> out.add(m.get("clientId").asText()));
        return out;
    }

    @Test
    void presenceHistory_hasTheEnterEventsOfRealtimeClients() {
        TestNode.Client alice = t.connect(Map.of("key", key.keyString(), "clientId", "alice"));
        alice.attach("chat:h");
        alice.enter("chat:h", "hi");
        Response r =
                t.get("/channels/chat:h/presence/history").basic(subscriber).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json()).hasSize(1);
        assertThat(r.json().get(0).get("clientId").asText()).isEqualTo("alice");
        assertThat(r.json().get(0).get("data").asText()).isEqualTo("hi");
        assertThat(r.json().get(0).get("action").asInt()).isEqualTo(2);
        assertThat(r.link("first")).startsWith("limit=100");
        assertThat(r.headers("Link").get(0)).startsWith("<./history?");
        assertThat(t.get("/channels/chat:h/presence/history")
                        .query("direction", "sideways")
                        .basic(key)
                        .send()
                        .errorCode())
                .isEqualTo(40003);
        assertThat(t.get("/channels/h/presence/history")
                        .basic(subscriber)
                        .send()
                        .errorCode())
                .isEqualTo(40160);
    }

    @Test
    void status_reportsOccupancy_andNeedsChannelMetadata() {
        Response idle = t.get("/channels/room").basic(key).send();
        assertThat(idle.status()).as(idle.toString()).isEqualTo(200);
        assertThat(idle.json().get("channelId").asText()).isEqualTo("room");
        assertThat(idle.json().get("name").asText()).isEqualTo("room");
        assertThat(idle.json().at("/status/isActive").asBoolean()).isFalse();
        assertThat(idle.json().at("/status/occupancy/metrics/subscribers").asInt())
                .isZero();

        TestNode.Client sub = t.connect(Map.of("key", key.keyString()));
        sub.attach("room");
        t.seedPresence("app", "room", "conn9", "m1", "m2");
        // the node reports its attachments to the engine on its occupancy thread, just after the ATTACHED
        io.herald.core.testing.Eventually.await(
                "the attachment counted",
                java.time.Duration.ofSeconds(10),
                () -> t.get("/channels/room")
                                .basic(key)
                                .send()
                                .json()
                                .at("/status/occupancy/metrics/subscribers")
                                .asInt()
                        == 1);
        Response busy = t.get("/channels/room").basic(key).send();
        assertThat(busy.json().at("/status/isActive").asBoolean()).isTrue();
        assertThat(busy.json().at("/status/occupancy/metrics/subscribers").asInt())
                .isEqualTo(1);
        assertThat(busy.json().at("/status/occupancy/metrics/connections").asInt())
                .isEqualTo(1);
        assertThat(busy.json().at("/status/occupancy/metrics/presenceMembers").asInt())
                .isEqualTo(2);
        assertThat(busy.json().at("/status/occupancy/metrics/objectPublishers").asInt())
                .isZero();

        Response refused = t.get("/channels/chat:room").basic(subscriber).send();
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.errorCode()).isEqualTo(40160);
        assertThat(refused.errorMessage()).contains("channel-metadata");
    }
}

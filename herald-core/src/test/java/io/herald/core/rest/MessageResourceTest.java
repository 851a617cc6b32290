package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.engine.Versions;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import io.herald.protocol.Action;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /channels/{name}/messages/{serial}…} over REST on one in-process node (docs/protocol.md §7.8): the latest
 * version, every version with {@code direction} and {@code limit}, {@code PATCH} update, delete and append answering
 * {@code versionSerial}, history showing the latest version, and the refusals (40003, 40160, 40400, 93002, 405);
 * then the same operations from a realtime connection, ACKed with the version serial.
 */
class MessageResourceTest {
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey reader = ApiKey.generate("app");
    private final ApiKey publisher = ApiKey.generate("app");
    private final TestNode t = new TestNode(new AppConfig(
            "app",
            List.of(
                    KeyConfig.fullAccess(key),
                    new KeyConfig(reader, Capability.parse("{\"*\":[\"subscribe\",\"history\"]}"), false),
                    new KeyConfig(publisher, Capability.parse("{\"*\":[\"publish\",\"message-update-own\"]}"), false)),
            List.of(new NamespaceConfig("mutable", false, false, true)),
            List.of()));

    @AfterEach
    void close() {
        t.close();
    }

    /** Publishes over REST and answers the message's serial. */
    private String publish(String channel, String json) {
        Response r =
                t.post("/channels/" + channel + "/messages", json).basic(key).send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("serials").get(0).asText();
    }

    private static String path(String channel, String serial) {
        return "/channels/" + channel + "/messages/" + URLEncoder.encode(serial, StandardCharsets.UTF_8);
    }

    private Response patch(String channel, String serial, String json) {
        return t.request("PATCH", path(channel, serial)).json(json).basic(key).send();
    }

    private String versionSerial(Response r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(r.json().size()).isEqualTo(1);
        return r.json().get("versionSerial").asText();
    }

    private static long seq(String serial) {
        return Versions.locate(serial).position().seq();
    }

    private static List<String> field(JsonNode list, String name) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path(name).asText()));
        return out;
    }

    @Test
    void patch_updateAppendDelete_answerVersionSerials_getShowsTheLatest() {
        String serial = publish("mutable:chat", "{\"name\":\"greeting\",\"data\":\"hello\",\"clientId\":\"alice\"}");

        String v1 = versionSerial(patch(
                "mutable:chat",
                serial,
                "{\"action\":1,\"data\":\"hello, edited\",\"version\":{\"description\":\"typo\","
                        + "\"metadata\":{\"k\":\"v\"}}}"));
        String v2 = versionSerial(
                patch("mutable:chat", serial, "{\"action\":5,\"data\":\"!\",\"serial\":\"" + serial + "\"}"));
        assertThat(seq(v1)).isGreaterThan(seq(serial));
        assertThat(seq(v2)).isGreaterThan(seq(v1));

        Response latest = t.get(path("mutable:chat", serial)).basic(key).send();
        assertThat(latest.status()).as(latest.toString()).isEqualTo(200);
        JsonNode m = latest.json();
        assertThat(m.get("data").asText()).isEqualTo("hello, edited!");
        assertThat(m.get("name").asText()).isEqualTo("greeting");
        assertThat(m.get("clientId").asText()).isEqualTo("alice");
        assertThat(m.get("serial").asText()).isEqualTo(serial);
        assertThat(m.get("action").asInt()).isEqualTo(Versions.UPDATE);
        assertThat(m.get("version").get("serial").asText()).isEqualTo(v2);

        String v3 = versionSerial(patch("mutable:chat", serial, "{\"action\":2}"));
        JsonNode deleted =
                t.get(path("mutable:chat", serial)).basic(reader).send().json();
        assertThat(deleted.get("action").asInt()).isEqualTo(Versions.DELETE);
        assertThat(deleted.get("version").get("serial").asText()).isEqualTo(v3);
        assertThat(deleted.get("data").asText())
                .as("a delete keeps what it does not replace")
                .isEqualTo("hello, edited!");

        JsonNode history =
                t.get("/channels/mutable:chat/messages").basic(key).send().json();
        assertThat(history).hasSize(1);
        assertThat(history.get(0).get("serial").asText()).isEqualTo(serial);
        assertThat(history.get(0).get("action").asInt()).isEqualTo(Versions.DELETE);
    }

    @Test
    void versions_oldestFirst_backwards_limit() {
        String serial = publish("mutable:v", "{\"data\":\"a\"}");
        versionSerial(patch("mutable:v", serial, "{\"action\":1,\"data\":\"b\"}"));
        versionSerial(patch("mutable:v", serial, "{\"action\":5,\"data\":\"c\"}"));
        String versions = path("mutable:v", serial) + "/versions";

        Response all = t.get(versions).basic(reader).send();
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(field(all.json(), "data")).containsExactly("a", "b", "bc");
        assertThat(field(all.json(), "serial")).containsOnly(serial);
        assertThat(field(
                        t.get(versions)
                                .query("direction", "forwards")
                                .basic(key)
                                .send()
                                .json(),
                        "data"))
                .containsExactly("a", "b", "bc");
        assertThat(field(
                        t.get(versions)
                                .query("direction", "backwards")
                                .basic(key)
                                .send()
                                .json(),
                        "data"))
                .containsExactly("bc", "b", "a");
        assertThat(field(
                        t.get(versions)
                                .query("direction", "backwards")
                                .query("limit", "2")
                                .basic(key)
                                .send()
                                .json(),
                        "data"))
                .containsExactly("bc", "b");
        assertThat(field(t.get(versions).query("limit", "1").basic(key).send().json(), "data"))
                .containsExactly("a");
        assertThat(field(
                        t.get(versions).query("limit", "1000").basic(key).send().json(), "data"))
                .hasSize(3);

        Response packed = t.get(versions)
                .header("Accept", "application/x-msgpack")
                .basic(key)
                .send();
        assertThat(packed.header("Content-Type")).contains("msgpack");
        assertThat(ProtocolCodec.of(Format.MSGPACK).decodeMessages(packed.raw().body()))
                .extracting(x -> x.data)
                .containsExactly("a", "b", "bc");
    }

    @Test
    void versions_badDirectionOrLimit_40003() {
        String serial = publish("mutable:v", "{\"data\":\"a\"}");
        String versions = path("mutable:v", serial) + "/versions";
        Response direction =
                t.get(versions).query("direction", "sideways").basic(key).send();
        assertThat(direction.status()).isEqualTo(400);
        assertThat(direction.errorCode()).isEqualTo(40003);
        assertThat(direction.errorMessage()).contains("sideways");
        for (String limit : new String[] {"0", "1001", "-1", "ten", ""}) {
            Response r = t.get(versions).query("limit", limit).basic(key).send();
            assertThat(r.status()).as(limit).isEqualTo(400);
            assertThat(r.errorCode()).as(limit).isEqualTo(40003);
            assertThat(r.errorMessage()).isEqualTo("limit must be 1..1000, got " + limit);
        }
    }

    @Test
    void unknownSerial_404With40400() {
        String serial = publish("mutable:v", "{\"data\":\"a\"}");
        String unknown = Versions.locate(serial).position().messageSerial(3);
        for (Response r : new Response[] {
            t.get(path("mutable:v", unknown)).basic(key).send(),
            t.get(path("mutable:v", unknown) + "/versions").basic(key).send(),
            t.get(path("mutable:v", "nonsense")).basic(key).send(),
            t.get(path("mutable:other", serial)).basic(key).send(),
            patch("mutable:v", unknown, "{\"action\":1,\"data\":\"b\"}"),
        }) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(r.errorCode()).isEqualTo(40400);
        }
        assertThat(t.get(path("mutable:v", unknown)).basic(key).send().errorMessage())
                .isEqualTo("No message with serial '" + unknown + "' on channel 'mutable:v'");
    }

    @Test
    void withoutTheCapability_401With40160() {
        String serial = publish("mutable:v", "{\"data\":\"a\",\"clientId\":\"alice\"}");
        Response update = t.request("PATCH", path("mutable:v", serial))
                .json("{\"action\":1,\"data\":\"b\"}")
                .basic(reader)
                .send();
        assertThat(update.status()).isEqualTo(401);
        assertThat(update.errorCode()).isEqualTo(40160);

        Response get = t.get(path("mutable:v", serial)).basic(publisher).send();
        assertThat(get.status()).isEqualTo(401);
        assertThat(get.errorCode()).isEqualTo(40160);
        assertThat(t.get(path("mutable:v", serial) + "/versions")
                        .basic(publisher)
                        .send()
                        .errorCode())
                .isEqualTo(40160);

        Response anonymousOwn = t.request("PATCH", path("mutable:v", serial))
                .json("{\"action\":1,\"data\":\"b\"}")
                .basic(publisher)
                .send();
        assertThat(anonymousOwn.status()).isEqualTo(401);
        assertThat(anonymousOwn.errorCode()).isEqualTo(40166);

        String bob = t.token(publisher, "bob", "{\"*\":[\"publish\",\"message-update-own\"]}", Duration.ofMinutes(5));
        Response notBobs = t.request("PATCH", path("mutable:v", serial))
                .json("{\"action\":1,\"data\":\"b\"}")
                .bearer(bob)
                .send();
        assertThat(notBobs.errorCode()).isEqualTo(40160);
        String alice =
                t.token(publisher, "alice", "{\"*\":[\"publish\",\"message-update-own\"]}", Duration.ofMinutes(5));
        versionSerial(t.request("PATCH", path("mutable:v", serial))
                .json("{\"action\":1,\"data\":\"b\"}")
                .bearer(alice)
                .send());
        assertThat(t.get(path("mutable:v", serial))
                        .basic(key)
                        .send()
                        .json()
                        .get("version")
                        .get("clientId")
                        .asText())
                .isEqualTo("alice");
    }

    @Test
    void patch_badBodies_andNotMutable() {
        String serial = publish("mutable:v", "{\"data\":\"a\"}");
        Response empty =
                t.request("PATCH", path("mutable:v", serial)).basic(key).send();
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.errorCode()).isEqualTo(40001);
        assertThat(empty.errorMessage()).isEqualTo("Request body is missing");

        Response two = patch("mutable:v", serial, "[{\"action\":1,\"data\":\"b\"},{\"action\":1,\"data\":\"c\"}]");
        assertThat(two.errorCode()).isEqualTo(40001);
        assertThat(two.errorMessage()).isEqualTo("The body must be one message");
        assertThat(patch("mutable:v", serial, "[]").errorCode()).isEqualTo(40001);

        Response otherSerial = patch("mutable:v", serial, "{\"action\":1,\"data\":\"b\",\"serial\":\"x-1:0\"}");
        assertThat(otherSerial.status()).isEqualTo(400);
        assertThat(otherSerial.errorCode()).isEqualTo(40003);
        assertThat(otherSerial.errorMessage()).contains("'x-1:0'", "'" + serial + "'");

        Response noAction = patch("mutable:v", serial, "{\"data\":\"b\",\"operation\":{\"description\":\"d\"}}");
        assertThat(noAction.status())
                .as("no action is an update, as ably-java 1.5 sends it")
                .isEqualTo(200);
        JsonNode updated = t.get(path("mutable:v", serial)).basic(key).send().json();
        assertThat(updated.path("action").asInt()).isEqualTo(1);
        assertThat(updated.path("data").asText()).isEqualTo("b");
        assertThat(updated.at("/version/description").asText()).isEqualTo("d");
        Response deleted = t.post(path("mutable:v", serial) + "/delete", "{\"operation\":{\"description\":\"gone\"}}")
                .basic(key)
                .send();
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(t.get(path("mutable:v", serial))
                        .basic(key)
                        .send()
                        .json()
                        .path("action")
                        .asInt())
                .isEqualTo(2);
        Response deleteAsUpdate = t.post(path("mutable:v", serial) + "/delete", "{\"action\":1}")
                .basic(key)
                .send();
        assertThat(deleteAsUpdate.errorCode()).isEqualTo(40003);
        Response wrongAction = patch("mutable:v", serial, "{\"action\":3,\"data\":\"b\"}");
        assertThat(wrongAction.errorCode()).isEqualTo(40003);
        Response badVersion = patch("mutable:v", serial, "{\"action\":1,\"version\":{\"metadata\":[1]}}");
        assertThat(badVersion.errorCode()).isEqualTo(40003);
        Response badAppend = patch("mutable:v", serial, "{\"action\":5,\"data\":{\"json\":true}}");
        assertThat(badAppend.status()).isEqualTo(400);
        assertThat(badAppend.errorCode()).isEqualTo(40013);

        String plain = publish("room", "{\"data\":\"a\"}");
        Response notMutable = patch("room", plain, "{\"action\":1,\"data\":\"b\"}");
        assertThat(notMutable.status()).isEqualTo(400);
        assertThat(notMutable.errorCode()).isEqualTo(93002);

        assertThat(field(
                        t.get(path("mutable:v", serial) + "/versions")
                                .basic(key)
                                .send()
                                .json(),
                        "data"))
                .as("the update and the delete, nothing refused")
                .containsExactly("a", "b", "b");
    }

    @Test
    void otherMethods_405() {
        String serial = publish("mutable:v", "{\"data\":\"a\"}");
        Response delete =
                t.request("DELETE", path("mutable:v", serial)).basic(key).send();
        assertThat(delete.status()).isEqualTo(405);
        assertThat(delete.errorCode()).isEqualTo(40500);
        assertThat(delete.header("Allow")).contains("GET", "PATCH").doesNotContain("POST");
        Response post =
                t.post(path("mutable:v", serial) + "/versions", "{}").basic(key).send();
        assertThat(post.status()).isEqualTo(405);
        assertThat(post.header("Allow")).contains("GET").doesNotContain("PATCH");
    }

    // ---- the same operations from a realtime connection ----

    private static ProtocolMessage operation(String channel, long msgSerial, int action, String serial, String data) {
        Message m = new Message(null, data);
        m.action = action;
        m.serial = serial;
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel);
        pm.msgSerial = msgSerial;
        pm.messages = new ArrayList<>(List.of(m));
        return pm;
    }

    @Test
    void realtime_operation_ackedWithTheVersionSerial_andDeliveredToSubscribers() {
        String serial = publish("mutable:rt", "{\"data\":\"hello\",\"clientId\":\"alice\"}");
        TestNode.Client watcher = t.connect(Map.of("key", key.keyString()));
        watcher.attach("mutable:rt");
        TestNode.Client alice = t.connect(Map.of("key", key.keyString(), "clientId", "alice"));
        String connectionId = alice.connected().connectionId;

        alice.send(operation("mutable:rt", 0, Versions.APPEND, serial, " world"));
        List<ProtocolMessage> acks = alice.of(Action.ACK);
        assertThat(acks).as(alice.transport.sent().toString()).hasSize(1);
        assertThat(acks.get(0).msgSerial).isEqualTo(0L);
        String versionSerial = acks.get(0).res.get(0).serials().get(0);
        assertThat(seq(versionSerial)).isGreaterThan(seq(serial));

        ProtocolMessage seen = watcher.of(Action.MESSAGE).get(0);
        Message m = seen.messages.get(0);
        assertThat(m.action).isEqualTo(Versions.APPEND);
        assertThat(m.serial).isEqualTo(serial);
        assertThat(m.data).as("only what is appended").isEqualTo(" world");
        assertThat(m.version.get("serial").asText()).isEqualTo(versionSerial);
        assertThat(m.version.get("clientId").asText()).isEqualTo("alice");
        assertThat(seen.connectionId).isEqualTo(connectionId);
        assertThat(seen.id).isEqualTo(connectionId + ":0");

        assertThat(t.get(path("mutable:rt", serial))
                        .basic(key)
                        .send()
                        .json()
                        .get("data")
                        .asText())
                .isEqualTo("hello world");
    }

    @Test
    void realtime_refusals_nackedWithTheirCodes_connectionStays() {
        String serial = publish("mutable:rt", "{\"data\":\"hello\",\"clientId\":\"alice\"}");
        String plain = publish("room", "{\"data\":\"hello\"}");
        TestNode.Client anonymous = t.connect(Map.of("key", publisher.keyString()));
        anonymous.send(operation("mutable:rt", 0, Versions.UPDATE, serial, "x"));
        anonymous.send(operation("mutable:rt", 1, Versions.DELETE, serial, null));
        anonymous.send(operation("room", 2, Versions.UPDATE, plain, "x"));
        anonymous.send(operation("mutable:rt", 3, Versions.UPDATE, null, "x"));
        TestNode.Client full = t.connect(Map.of("key", key.keyString()));
        full.send(operation(
                "mutable:rt",
                0,
                Versions.UPDATE,
                Versions.locate(serial).position().messageSerial(9),
                "x"));

        List<ProtocolMessage> nacks = anonymous.of(Action.NACK);
        assertThat(nacks).extracting(n -> n.msgSerial).containsExactly(0L, 1L, 2L, 3L);
        assertThat(nacks).extracting(n -> n.error.code()).containsExactly(40166, 40160, 93002, 40003);
        assertThat(anonymous.of(Action.ACK)).isEmpty();
        assertThat(anonymous.of(Action.DISCONNECTED)).isEmpty();
        assertThat(full.of(Action.NACK)).singleElement().satisfies(n -> {
            assertThat(n.error.code()).isEqualTo(40400);
            assertThat(n.error.statusCode()).isEqualTo(404);
        });
        assertThat(t.get(path("mutable:rt", serial) + "/versions")
                        .basic(key)
                        .send()
                        .json())
                .hasSize(1);
    }
}

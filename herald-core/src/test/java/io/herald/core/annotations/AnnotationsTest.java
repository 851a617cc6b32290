package io.herald.core.annotations;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Message annotations over REST and realtime on one node (docs/protocol.md §7.10): publishing and deleting, the
 * summary every subscriber gets, the individual annotations only ANNOTATION_SUBSCRIBE gets, reading them back, and
 * the refusals, including what a hostile client sends.
 */
class AnnotationsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey plain = ApiKey.generate("app");
    private final TestNode t = new TestNode(new AppConfig(
            "app",
            List.of(
                    KeyConfig.fullAccess(key),
                    new KeyConfig(plain, Capability.parse("{\"*\":[\"publish\",\"subscribe\",\"history\"]}"), false)),
            List.of(new NamespaceConfig("notes", false, false, true)),
            List.of()));

    @AfterEach
    void close() {
        t.close();
    }

    private String publishMessage(String channel) {
        Response r = t.post("/channels/" + channel + "/messages", "{\"name\":\"m\",\"data\":\"hello\"}")
                .basic(key)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        return r.json().get("serials").get(0).asText();
    }

    private Response annotate(String channel, String serial, String json, ApiKey as) {
        return t.post("/channels/" + channel + "/messages/" + serial + "/annotations", json)
                .basic(as)
                .send();
    }

    @Test
    void rest_publishGetAndSummary_inHistoryAndGetMessage() {
        String serial = publishMessage("notes:a");
        for (String who : List.of("c1", "c2", "c3")) {
            Response r = annotate(
                    "notes:a",
                    serial,
                    "[{\"type\":\"reactions:distinct.v1\",\"name\":\"+1\",\"clientId\":\"" + who + "\"}]",
                    key);
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            assertThat(r.json().get("serials")).hasSize(1);
        }
        Response del = annotate(
                "notes:a",
                serial,
                "{\"type\":\"reactions:distinct.v1\",\"name\":\"+1\",\"clientId\":\"c2\",\"action\":1}",
                key);
        assertThat(del.status()).as(del.toString()).isEqualTo(201);

        Response page = t.get("/channels/notes:a/messages/" + serial + "/annotations")
                .query("limit", "3")
                .basic(key)
                .send();
        assertThat(page.status()).as(page.toString()).isEqualTo(200);
        assertThat(page.json()).hasSize(3);
        assertThat(page.json().get(0).get("messageSerial").asText()).isEqualTo(serial);
        assertThat(page.json().get(0).get("type").asText()).isEqualTo("reactions:distinct.v1");
        assertThat(page.json().get(0).get("clientId").asText()).isEqualTo("c1");
        assertThat(page.json().get(0).get("action").asInt()).isZero();
        assertThat(page.json().get(0).get("serial").asText()).isNotEqualTo(serial);
        assertThat(page.link("next")).contains("cursor=3");
        Response next = t.get("/channels/notes:a/messages/" + serial + "/annotations")
                .queryString(page.link("next"))
                .basic(key)
                .send();
        assertThat(next.json()).hasSize(1);
        assertThat(next.json().get(0).get("action").asInt()).isEqualTo(1);

        JsonNode expected = tree("{\"reactions:distinct.v1\":{\"+1\":{\"total\":2,\"clientIds\":[\"c1\",\"c3\"],"
                + "\"clipped\":false}}}");
        Response msg = t.get("/channels/notes:a/messages/" + serial).basic(key).send();
        assertThat(tree(msg.json().at("/annotations/summary").toString())).isEqualTo(expected);
        assertThat(msg.json().get("action").asInt()).isZero();
        Response history = t.get("/channels/notes:a/messages").basic(key).send();
        assertThat(history.json()).hasSize(1);
        assertThat(tree(history.json().get(0).at("/annotations/summary").toString()))
                .isEqualTo(expected);
    }

    @Test
    void rest_wrongMethods_are405() {
        String serial = publishMessage("notes:m");
        for (String method : List.of("DELETE", "PUT", "PATCH")) {
            Response r = t.request(method, "/channels/notes:m/messages/" + serial + "/annotations")
                    .basic(key)
                    .send();
            assertThat(r.status()).as(method).isEqualTo(405);
            assertThat(r.errorCode()).isEqualTo(40500);
        }
    }

    @Test
    void rest_refusals_haveAblyCodes() {
        String serial = publishMessage("notes:r");
        String plainSerial = t.post("/channels/room/messages", "{\"data\":\"x\"}")
                .basic(key)
                .send()
                .json()
                .get("serials")
                .get(0)
                .asText();
        String ok = "{\"type\":\"reactions:flag.v1\",\"clientId\":\"c1\"}";
        assertThat(annotate("room", plainSerial, ok, key).errorCode()).isEqualTo(93002);
        assertThat(annotate("notes:r", serial, ok, plain).errorCode()).isEqualTo(40160);
        assertThat(t.get("/channels/notes:r/messages/" + serial + "/annotations")
                        .basic(plain)
                        .send()
                        .errorCode())
                .isEqualTo(40160);
        Response unknown = annotate("notes:r", serial + "9", ok, key);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(40400);
        assertThat(t.get("/channels/notes:r/messages/nope/annotations")
                        .basic(key)
                        .send()
                        .errorCode())
                .isEqualTo(40400);
        assertThat(annotate("notes:r", serial, "{\"type\":\"reactions:flag.v1\"}", key)
                        .errorCode())
                .isEqualTo(40161);
        assertThat(annotate("notes:r", serial, "{\"type\":\"reactions:distinct.v1\",\"clientId\":\"c\"}", key)
                        .errorCode())
                .isEqualTo(40003);
    }

    @Test
    void rest_hostileInput_isRefusedWithClearErrors_neverA500() {
        String serial = publishMessage("notes:h");
        String big = "x".repeat(70_000);
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("{}", 40003);
        cases.put("[]", 40003);
        cases.put("42", 40003);
        cases.put("\"text\"", 40003);
        cases.put("[1,2]", 40003);
        cases.put("{\"type\":5}", 40003);
        cases.put("{\"type\":\"nocolon\"}", 40003);
        cases.put("{\"type\":\"a:b:c.v1\"}", 40003);
        cases.put("{\"type\":\"reactions:weird.v1\"}", 40003);
        cases.put("{\"type\":\"reactions:total.v1\",\"action\":7}", 40003);
        cases.put("{\"type\":\"reactions:total.v1\",\"action\":\"create\"}", 40003);
        cases.put("{\"type\":\"reactions:multiple.v1\",\"name\":\"n\",\"count\":-1}", 40003);
        cases.put("{\"type\":\"reactions:multiple.v1\",\"name\":\"n\",\"count\":1.5}", 40003);
        cases.put("{\"type\":\"reactions:total.v1\",\"name\":\"" + "n".repeat(300) + "\"}", 40003);
        cases.put("{\"type\":\"reactions:total.v1\",\"extras\":[1]}", 40003);
        cases.put("{\"type\":\"reactions:total.v1\",\"messageSerial\":\"other\"}", 40003);
        cases.put("{\"type\":\"reactions:total.v1\",\"data\":\"" + big + "\"}", 40009);
        cases.put("{\"type\":\"" + "t".repeat(300) + ":total.v1\"}", 40003);
        cases.put("{\"type\":\"reactions:total.v1\",\"clientId\":\"*\"}", 40012);
        cases.put("[" + "{\"type\":\"reactions:total.v1\"},".repeat(100) + "{\"type\":\"reactions:total.v1\"}]", 40009);
        cases.put("{not json", 40000);
        cases.forEach((body, code) -> {
            Response r = annotate("notes:h", serial, body, key);
            assertThat(r.status())
                    .as(body.length() > 80 ? body.substring(0, 80) : body)
                    .isBetween(400, 499);
            assertThat(r.errorCode())
                    .as(body.length() > 80 ? body.substring(0, 80) : body)
                    .isEqualTo(code);
        });
        assertThat(t.get("/channels/notes:h/messages/" + serial + "/annotations")
                        .query("limit", "0")
                        .basic(key)
                        .send()
                        .errorCode())
                .isEqualTo(40003);
        // nothing of the refused ones was kept
        assertThat(t.get("/channels/notes:h/messages/" + serial + "/annotations")
                        .basic(key)
                        .send()
                        .json())
                .isEmpty();
    }

    @Test
    void publishedMessage_cannotForgeASummary() {
        Response r = t.post(
                        "/channels/notes:f/messages",
                        "{\"action\":4,\"serial\":\"x\",\"annotations\":{\"summary\":{\"r:total.v1\":{\"total\":99}}}}")
                .basic(key)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        JsonNode history = t.get("/channels/notes:f/messages").basic(key).send().json();
        assertThat(history.get(0).get("action").asInt()).isZero();
        assertThat(history.get(0).has("annotations")).isFalse();
    }

    private static ProtocolMessage annotation(String channel, long msgSerial, String json) {
        ProtocolMessage pm = ProtocolMessage.of(Action.ANNOTATION, channel);
        pm.msgSerial = msgSerial;
        pm.annotations = json == null ? null : tree(json);
        return pm;
    }

    @Test
    void realtime_annotationSubscribersGetAnnotations_everySubscriberGetsTheSummary() {
        String serial = publishMessage("notes:rt");
        TestNode.Client watcher = t.connect(Map.of("key", key.keyString()));
        ProtocolMessage attach = ProtocolMessage.of(Action.ATTACH, "notes:rt");
        attach.params = Map.of("modes", "subscribe,annotation_subscribe");
        watcher.send(attach);
        TestNode.Client reactor = t.connect(Map.of("key", key.keyString(), "clientId", "bob"));
        reactor.attach("notes:rt");
        reactor.send(annotation(
                "notes:rt",
                0,
                "[{\"type\":\"reactions:unique.v1\",\"name\":\"heart\",\"messageSerial\":\"" + serial + "\"}]"));
        t.loop.runPending();
        watcher.send(ProtocolMessage.of(Action.HEARTBEAT, null));

        ProtocolMessage ack = reactor.of(Action.ACK).get(0);
        assertThat(ack.msgSerial).isZero();
        String annotationSerial = ack.res.get(0).serials().get(0);
        assertThat(annotationSerial).isNotEqualTo(serial);

        List<ProtocolMessage> annotations = watcher.of(Action.ANNOTATION);
        assertThat(annotations).hasSize(1);
        JsonNode a = annotations.get(0).annotations.get(0);
        assertThat(a.get("serial").asText()).isEqualTo(annotationSerial);
        assertThat(a.get("messageSerial").asText()).isEqualTo(serial);
        assertThat(a.get("clientId").asText()).isEqualTo("bob");
        assertThat(a.get("name").asText()).isEqualTo("heart");
        assertThat(annotations.get(0).channelSerial).isNotNull();

        for (TestNode.Client c : List.of(watcher, reactor)) {
            List<Message> summaries = new ArrayList<>();
            c.of(Action.MESSAGE).forEach(pm -> summaries.addAll(pm.messages));
            assertThat(summaries).hasSize(1);
            Message s = summaries.get(0);
            assertThat(s.action).isEqualTo(4);
            assertThat(s.serial).isEqualTo(serial);
            assertThat(s.annotations
                            .at("/summary/reactions:unique.v1/heart/clientIds/0")
                            .asText())
                    .isEqualTo("bob");
        }
        assertThat(reactor.of(Action.ANNOTATION))
                .as("no annotation_subscribe mode")
                .isEmpty();
        assertThat(reactor.of(Action.MESSAGE).get(0).annotations)
                .as("the summary frame never carries the annotation")
                .isNull();
    }

    @Test
    void realtime_refusals_areNacks() {
        String serial = publishMessage("notes:n");
        TestNode.Client c = t.connect(Map.of("key", plain.keyString(), "clientId", "eve"));
        c.attach("notes:n");
        String ok = "[{\"type\":\"reactions:total.v1\",\"messageSerial\":\"" + serial + "\"}]";
        c.send(annotation("notes:n", 0, ok));
        c.send(annotation("notes:n", 1, null));
        c.send(annotation("notes:n", 2, "[{\"type\":\"reactions:total.v1\"}]"));
        TestNode.Client full = t.connect(Map.of("key", key.keyString()));
        ProtocolMessage attach = ProtocolMessage.of(Action.ATTACH, "notes:n");
        attach.params = Map.of("modes", "subscribe");
        full.send(attach);
        full.send(annotation("notes:n", 0, ok));
        full.send(annotation("notes:n", 1, "{\"type\":\"reactions:total.v1\"}"));
        t.loop.runPending();
        c.send(ProtocolMessage.of(Action.HEARTBEAT, null));
        List<ProtocolMessage> nacks = c.of(Action.NACK);
        assertThat(nacks).extracting(n -> n.error.code()).containsExactly(40160, 40003, 40003);
        assertThat(full.of(Action.NACK)).extracting(n -> n.error.code()).containsExactly(40165, 40165);
        assertThat(c.of(Action.ERROR)).isEmpty();
        assertThat(c.transport.isOpen()).isTrue();
    }

    private static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}

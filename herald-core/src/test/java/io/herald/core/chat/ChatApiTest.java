package io.herald.core.chat;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.testing.TestNode;
import io.herald.core.testing.TestNode.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Chat REST API (docs/protocol.md §16) on one in-process node: send, history both ways with paging, get, update,
 * delete, versions, reactions of each type with their summaries, a client's own reactions, occupancy, and the
 * refusals (40160 without the capability or for another client's message, 40400, 40003, 40001, 40010).
 */
class ChatApiTest {
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey reader = ApiKey.generate("app");
    private final TestNode t = new TestNode(new AppConfig(
            "app",
            List.of(
                    KeyConfig.fullAccess(key),
                    new KeyConfig(reader, Capability.parse("{\"*\":[\"subscribe\",\"history\"]}"), false)),
            List.of(),
            List.of()));
    private final String alice = t.token(key, "alice", null, Duration.ofHours(1));
    private final String bob = t.token(
            key,
            "bob",
            "{\"*::$chat\":[\"publish\",\"history\",\"message-update-own\",\"message-delete-own\","
                    + "\"annotation-publish\"]}",
            Duration.ofHours(1));

    @AfterEach
    void close() {
        t.close();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private Response send(String token, String room, String json) {
        return t.post("/chat/v4/rooms/" + room + "/messages", json)
                .bearer(token)
                .send();
    }

    private String sent(String token, String room, String text) {
        Response r = send(token, room, "{\"text\":\"" + text + "\",\"metadata\":{\"n\":1},\"headers\":{\"k\":\"v\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
        assertThat(r.json().path("text").asText()).isEqualTo(text);
        assertThat(r.json().path("action").asText()).isEqualTo("message.create");
        return r.json().path("serial").asText();
    }

    private static List<String> texts(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.forEach(n -> out.add(n.path("text").asText()));
        return out;
    }

    @Test
    void sendHistoryGetUpdateDeleteVersions() {
        List<String> serials = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            serials.add(sent(alice, "lobby", "m" + i));
        }
        Response newest = t.get("/chat/v4/rooms/lobby/messages")
                .query("limit", "2")
                .bearer(alice)
                .send();
        assertThat(newest.status()).as(newest.toString()).isEqualTo(200);
        assertThat(texts(newest.json())).containsExactly("m4", "m3");
        assertThat(newest.link("next")).isNotNull();
        Response oldest = t.get("/chat/v4/rooms/lobby/messages")
                .query("direction", "forwards")
                .bearer(alice)
                .send();
        assertThat(texts(oldest.json())).containsExactly("m0", "m1", "m2", "m3", "m4");

        String path = "/chat/v4/rooms/lobby/messages/" + enc(serials.get(1));
        Response got = t.get(path).bearer(alice).send();
        assertThat(got.json().path("metadata").path("n").asInt()).isEqualTo(1);
        assertThat(got.json().path("headers").path("k").asText()).isEqualTo("v");

        Response updated = t.request("PUT", path)
                .json("{\"message\":{\"text\":\"m1 edited\"},\"description\":\"typo\"}")
                .bearer(alice)
                .send();
        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().path("text").asText()).isEqualTo("m1 edited");
        assertThat(updated.json().path("action").asText()).isEqualTo("message.update");
        assertThat(updated.json().path("version").path("description").asText()).isEqualTo("typo");

        Response byBob = t.request("PUT", path)
                .json("{\"message\":{\"text\":\"x\"}}")
                .bearer(bob)
                .send();
        assertThat(byBob.status()).isEqualTo(401);
        assertThat(byBob.errorCode()).isEqualTo(40160);

        Response deleted = t.post(path + "/delete", "{\"description\":\"gone\"}")
                .bearer(alice)
                .send();
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
        assertThat(deleted.json().path("action").asText()).isEqualTo("message.delete");

        Response versions = t.get(path + "/versions").bearer(alice).send();
        assertThat(versions.status()).as(versions.toString()).isEqualTo(200);
        assertThat(versions.json()).hasSize(3);

        Response unknown = t.get("/chat/v4/rooms/lobby/messages/" + enc(serials.get(0) + "9"))
                .bearer(alice)
                .send();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo(40400);
    }

    @Test
    void reactionsOfEachType_summariesAndClientReactions() {
        String serial = sent(alice, "room", "hello");
        String reactions = "/chat/v4/rooms/room/messages/" + enc(serial) + "/reactions";
        for (String body : List.of(
                "{\"type\":\"distinct\",\"name\":\"like\"}",
                "{\"type\":\"unique\",\"name\":\"star\"}",
                "{\"type\":\"multiple\",\"name\":\"clap\",\"count\":3}")) {
            Response r = t.post(reactions, body).bearer(bob).send();
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
        }
        assertThat(t.post(reactions, "{\"type\":\"distinct\",\"name\":\"like\"}")
                        .bearer(alice)
                        .send()
                        .status())
                .isEqualTo(201);
        JsonNode m = t.get("/chat/v4/rooms/room/messages/" + enc(serial))
                .bearer(alice)
                .send()
                .json();
        assertThat(m.path("reactions")
                        .path("distinct")
                        .path("like")
                        .path("total")
                        .asInt())
                .as(m.toString())
                .isEqualTo(2);
        assertThat(m.path("reactions")
                        .path("multiple")
                        .path("clap")
                        .path("total")
                        .asInt())
                .isEqualTo(3);
        assertThat(m.path("reactions").path("unique").path("star").path("total").asInt())
                .isEqualTo(1);

        Response mine = t.get("/chat/v4/rooms/room/messages/" + enc(serial) + "/client-reactions")
                .bearer(bob)
                .send();
        assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
        assertThat(mine.json().toString()).contains("clap");

        Response removed = t.request("DELETE", reactions)
                .query("type", "distinct")
                .query("name", "like")
                .bearer(bob)
                .send();
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        JsonNode after = t.get("/chat/v4/rooms/room/messages/" + enc(serial))
                .bearer(alice)
                .send()
                .json();
        assertThat(after.path("reactions")
                        .path("distinct")
                        .path("like")
                        .path("total")
                        .asInt())
                .isEqualTo(1);

        Response badType = t.post(reactions, "{\"type\":\"sideways\",\"name\":\"x\"}")
                .bearer(bob)
                .send();
        assertThat(badType.errorCode()).isEqualTo(40003);
        Response badCount = t.post(reactions, "{\"type\":\"multiple\",\"name\":\"x\",\"count\":-1}")
                .bearer(bob)
                .send();
        assertThat(badCount.errorCode()).isEqualTo(40003);
    }

    @Test
    void refusals_andOccupancy() {
        Response noPublish = t.post("/chat/v4/rooms/lobby/messages", "{\"text\":\"hi\"}")
                .basic(reader)
                .send();
        assertThat(noPublish.status()).isEqualTo(401);
        assertThat(noPublish.errorCode()).isEqualTo(40160);
        assertThat(send(alice, "lobby", "{\"text\":5}").errorCode()).isEqualTo(40003);
        assertThat(send(alice, "lobby", "[1]").errorCode()).isEqualTo(40001);
        assertThat(send(alice, "lobby", "{\"text\":\"x\",\"metadata\":\"no\"}").errorCode())
                .isEqualTo(40003);
        assertThat(send(alice, "%5Bmeta%5Dx", "{\"text\":\"x\"}").errorCode()).isEqualTo(40010);
        Response empty =
                t.request("POST", "/chat/v4/rooms/lobby/messages").bearer(alice).send();
        assertThat(empty.status()).as(empty.toString()).isEqualTo(400);

        Response occupancy =
                t.get("/chat/v4/rooms/lobby/occupancy").bearer(alice).send();
        assertThat(occupancy.status()).as(occupancy.toString()).isEqualTo(200);
        assertThat(occupancy.json().path("connections").asInt()).isZero();
        assertThat(occupancy.json().has("presenceMembers")).isTrue();
        Response noMetadata =
                t.get("/chat/v4/rooms/lobby/occupancy").bearer(bob).send();
        assertThat(noMetadata.errorCode()).isEqualTo(40160);
    }
}

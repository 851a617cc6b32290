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
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code GET /stats} from real traffic, rolled up, paged; bad parameters; the sandbox's fixtures. */
class StatsResourceTest {
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey noStats = ApiKey.generate("app");
    private final TestNode t = new TestNode(TestNode.sandbox(TestNode.config(new AppConfig(
            "app",
            List.of(
                    KeyConfig.fullAccess(key),
                    new KeyConfig(noStats, Capability.parse("{\"*\":[\"publish\"]}"), false))))));

    @AfterEach
    void close() {
        t.close();
    }

    private void publish(String channel, String data) {
        Response r = t.post("/channels/" + channel + "/messages", "{\"name\":\"n\",\"data\":\"" + data + "\"}")
                .basic(key)
                .send();
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    private Response stats(String qs) {
        return t.get("/stats").queryString(qs).basic(key).send();
    }

    @Test
    void stats_afterRestPublishes_countsThemInTheCurrentMinute() {
        publish("a", "hello");
        publish("b", "hello");
        Response r = stats("unit=minute");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode s = r.json().get(0);
        assertThat(s.get("unit").asText()).isEqualTo("minute");
        assertThat(s.get("appId").asText()).isEqualTo("app");
        assertThat(s.get("schema").asText()).contains("app-stats");
        assertThat(s.get("intervalId").asText()).matches("\\d{4}-\\d{2}-\\d{2}:\\d{2}:\\d{2}");
        assertThat(s.get("inProgress").asText()).isEqualTo(s.get("intervalId").asText());
        JsonNode e = s.get("entries");
        assertThat(e.get("messages.inbound.rest.messages.count").asLong()).isEqualTo(2);
        assertThat(e.get("messages.inbound.all.messages.count").asLong()).isEqualTo(2);
        assertThat(e.get("messages.all.all.count").asLong()).isEqualTo(2);
        // name "n" and data "hello": 6 bytes each
        assertThat(e.get("messages.inbound.rest.messages.data").asLong()).isEqualTo(12);
        assertThat(e.get("messages.inbound.rest.all.data").asLong()).isEqualTo(12);
        assertThat(e.get("apiRequests.all.succeeded").asLong()).isEqualTo(2);
        assertThat(e.has("messages.outbound.all.all.count")).isFalse(); // sparse: zeros are left out
    }

    @Test
    void stats_realtimeConnectionsAndChannels_countOpenedPeakAndDeliveries() {
        TestNode.Client c = t.connect(Map.of("key", key.keyString()));
        c.attach("room");
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "room");
        pm.msgSerial = 0L;
        Message m = new Message();
        m.data = "abc";
        pm.messages = new ArrayList<>(List.of(m));
        c.send(pm);
        JsonNode e = stats("unit=minute").json().get(0).get("entries");
        assertThat(e.get("connections.all.opened").asLong()).isEqualTo(1);
        assertThat(e.get("connections.all.peak").asLong()).isEqualTo(1);
        assertThat(e.get("channels.opened").asLong()).isEqualTo(1);
        assertThat(e.get("channels.peak").asLong()).isEqualTo(1);
        assertThat(e.get("messages.inbound.realtime.messages.count").asLong()).isEqualTo(1);
        assertThat(e.get("messages.inbound.realtime.messages.data").asLong()).isEqualTo(3);
        // echo: the publisher receives its own message
        assertThat(e.get("messages.outbound.realtime.messages.count").asLong()).isEqualTo(1);
        assertThat(e.get("messages.all.all.count").asLong()).isEqualTo(2);
    }

    @Test
    void stats_severalMinutes_rollUpIntoTheHour_andPageWithLinks() {
        t.clock.set(1_800_000_000_000L - 1_800_000_000_000L % 3_600_000L); // the top of an hour
        for (int i = 0; i < 3; i++) {
            publish("a", "x");
            t.clock.advance(Duration.ofMinutes(1));
        }
        Response minutes = stats("unit=minute&limit=2&direction=forwards");
        assertThat(minutes.json()).hasSize(2);
        assertThat(minutes.json().get(0).at("/entries/messages.inbound.all.all.count"))
                .isNotNull();
        String next = minutes.link("next");
        assertThat(next).as(minutes.headers("Link").toString()).isNotNull();
        Response rest = t.get("/stats").queryString(next).basic(key).send();
        assertThat(rest.status()).as(rest.toString()).isEqualTo(200);
        // the third publish's minute, and the current one with the stats requests themselves
        assertThat(rest.json()
                        .get(0)
                        .get("entries")
                        .get("messages.inbound.rest.messages.count")
                        .asLong())
                .isEqualTo(1);
        Response hour = stats("unit=hour");
        assertThat(hour.json()).hasSize(1);
        JsonNode h = hour.json().get(0);
        assertThat(h.get("intervalId").asText()).matches("\\d{4}-\\d{2}-\\d{2}:\\d{2}");
        assertThat(h.get("entries").get("messages.inbound.rest.messages.count").asLong())
                .isEqualTo(3);
        Response day = stats("unit=day");
        assertThat(day.json().get(0).get("intervalId").asText()).matches("\\d{4}-\\d{2}-\\d{2}");
        Response month = stats("by=month");
        assertThat(month.json().get(0).get("intervalId").asText()).matches("\\d{4}-\\d{2}");
        assertThat(month.json().get(0).get("unit").asText()).isEqualTo("month");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "limit=0",
                "limit=1001",
                "limit=ten",
                "unit=week",
                "direction=sideways",
                "start=yesterday",
                "end=2024-13-01",
                "start=2000&end=1000"
            })
    void stats_badParameter_is40003(String qs) {
        Response r = stats(qs);
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.errorCode()).isEqualTo(40003);
    }

    @Test
    void stats_withoutTheStatsCapability_isRefused() {
        Response r = t.get("/stats").basic(noStats).send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.errorCode()).isEqualTo(40160);
    }

    @Test
    void sandboxFixtures_areReadBack_asTheAblyJsSuiteExpects() {
        String fixtures = "[{\"intervalId\":\"2025-02-03:15:03\","
                + "\"inbound\":{\"realtime\":{\"messages\":{\"count\":50,\"data\":5000}}},"
                + "\"outbound\":{\"realtime\":{\"messages\":{\"count\":20,\"data\":2000}}}},"
                + "{\"intervalId\":\"2025-02-03:15:04\","
                + "\"inbound\":{\"realtime\":{\"messages\":{\"count\":60,\"data\":6000}}},"
                + "\"outbound\":{\"realtime\":{\"messages\":{\"count\":10,\"data\":1000}}}},"
                + "{\"intervalId\":\"2025-02-03:15:05\","
                + "\"inbound\":{\"realtime\":{\"messages\":{\"count\":70,\"data\":7000}}},"
                + "\"outbound\":{\"realtime\":{\"messages\":{\"count\":40,\"data\":4000}}},"
                + "\"persisted\":{\"presence\":{\"count\":20,\"data\":2000}},"
                + "\"connections\":{\"tls\":{\"peak\":20,\"opened\":10}},"
                + "\"channels\":{\"peak\":50,\"opened\":30},"
                + "\"apiRequests\":{\"succeeded\":50,\"failed\":10},"
                + "\"tokenRequests\":{\"succeeded\":60,\"failed\":20}}]";
        assertThat(t.post("/stats", fixtures).basic(key).send().status()).isEqualTo(201);

        JsonNode three = stats("start=2025-02-03:15:03&end=2025-02-03:15:05&direction=forwards")
                .json();
        assertThat(three).hasSize(3);
        assertThat(three.get(0)
                        .at("/entries")
                        .get("messages.inbound.all.messages.count")
                        .asLong())
                .isEqualTo(50);
        JsonNode last = three.get(2).get("entries");
        assertThat(last.get("messages.all.messages.count").asLong()).isEqualTo(110);
        assertThat(last.get("messages.persisted.all.count").asLong()).isEqualTo(20);
        assertThat(last.get("connections.all.peak").asLong()).isEqualTo(20);
        assertThat(last.get("channels.opened").asLong()).isEqualTo(30);
        assertThat(last.get("apiRequests.all.succeeded").asLong()).isEqualTo(110);
        assertThat(last.get("apiRequests.tokenRequests.failed").asLong()).isEqualTo(20);
        assertThat(three.get(2).has("inProgress")).isFalse();

        Response hour = stats("start=2025-02-03:15&end=2025-02-03:18&direction=forwards&by=hour");
        assertThat(hour.json()).hasSize(1);
        assertThat(hour.json()
                        .get(0)
                        .at("/entries")
                        .get("messages.outbound.all.messages.count")
                        .asLong())
                .isEqualTo(70);

        Response back = stats("end=2025-02-03:15:05&limit=1");
        assertThat(back.json()
                        .get(0)
                        .get("entries")
                        .get("messages.inbound.all.messages.data")
                        .asLong())
                .isEqualTo(7000);
        Response p2 = t.get("/stats").queryString(back.link("next")).basic(key).send();
        assertThat(p2.json()
                        .get(0)
                        .get("entries")
                        .get("messages.inbound.all.messages.data")
                        .asLong())
                .isEqualTo(6000);
        Response p3 = t.get("/stats").queryString(p2.link("next")).basic(key).send();
        assertThat(p3.json().get(0).get("intervalId").asText()).isEqualTo("2025-02-03:15:03");
        assertThat(p3.link("next")).isNull();
        Response first =
                t.get("/stats").queryString(p3.link("first")).basic(key).send();
        assertThat(first.json().get(0).get("intervalId").asText()).isEqualTo("2025-02-03:15:05");
    }
}

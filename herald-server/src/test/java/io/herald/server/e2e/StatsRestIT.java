package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ably-js 2.26 against REST features beyond channels (docs/protocol.md §10): {@code rest.stats()} after real traffic
 * in minute and hour units and paged over fixtures, {@code batchPublish} and {@code batchPresence} with partial
 * failures, and {@code rest.request} on a success, a 404 and a 405. Each run uses a fresh sandbox app, so its stats
 * hold only its own traffic.
 * Each case runs on the in-memory engine and on the Redis engine (a redis-server of its own).
 */
class StatsRestIT {
    @RegisterExtension
    static final TestServer memory = TestServer.perClass("sandbox: true");

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis("sandbox: true");

    static Stream<Arguments> enginesAndFormats() {
        return TestServer.withFormats(memory, redis);
    }

    private static final String LIMITED = "{\\\"ok\\\":[\\\"publish\\\",\\\"presence\\\",\\\"subscribe\\\"]}";

    private static List<String> ids(JsonNode pages) {
        List<String> out = new ArrayList<>();
        pages.forEach(p -> p.path("ids").forEach(i -> out.add(i.asText())));
        return out;
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("enginesAndFormats")
    void ablyJs_statsBatchAndRequest(TestServer server, WireFormat f) throws Exception {
        Http.Response app = Http.postJson(server.uri("/apps"), "{\"keys\":[{},{\"capability\":\"" + LIMITED + "\"}]}");
        assertThat(app.status()).as("%s", app).isEqualTo(201);
        ApiKey full = ApiKey.parse(app.json().at("/keys/0/keyStr").asText());
        ApiKey limited = ApiKey.parse(app.json().at("/keys/1/keyStr").asText());
        String fixtures =
                "[{\"intervalId\":\"2025-02-03:15:03\",\"inbound\":{\"realtime\":{\"messages\":{\"count\":5}}}},"
                        + "{\"intervalId\":\"2025-02-03:15:04\",\"inbound\":{\"realtime\":{\"messages\":{\"count\":6}}}},"
                        + "{\"intervalId\":\"2025-02-03:15:05\",\"inbound\":{\"realtime\":{\"messages\":{\"count\":7}}}}]";
        assertThat(Http.postJson(server.uri("/stats"), fixtures, "Authorization", Http.basic(full))
                        .status())
                .isEqualTo(201);

        JsonNode r = NodeScript.run(
                "stats.js",
                Map.of(
                        "port", server.port(),
                        "binary", f.binary(),
                        "key", full.keyString(),
                        "limitedKey", limited.keyString(),
                        "fixturesEnd", "2025-02-03:15:05"),
                Duration.ofSeconds(60));

        // stats after real traffic: 3 realtime publishes, 2 REST ones, all 5 delivered to the one subscriber
        JsonNode minute = r.at("/traffic/minute");
        assertThat(minute.path("messages.inbound.realtime.messages.count").asLong())
                .isEqualTo(3);
        // name "rt" and data "abcde", and the clientId "member" when the SDK sends it
        assertThat(minute.path("messages.inbound.realtime.messages.data").asLong())
                .isBetween(3L * 7, 3L * 13);
        assertThat(minute.path("messages.inbound.rest.messages.count").asLong()).isEqualTo(2);
        assertThat(minute.path("messages.outbound.realtime.messages.count").asLong())
                .isEqualTo(5);
        assertThat(minute.path("messages.all.all.count").asLong()).isEqualTo(10);
        assertThat(minute.path("connections.all.opened").asLong()).isEqualTo(1);
        assertThat(minute.path("connections.all.peak").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(minute.path("channels.opened").asLong()).isEqualTo(1);
        assertThat(minute.path("apiRequests.all.succeeded").asLong()).isGreaterThanOrEqualTo(1);
        JsonNode hour = r.at("/traffic/hour");
        assertThat(hour.path("messages.all.all.count").asLong()).isEqualTo(10);
        assertThat(hour.path("messages.inbound.all.messages.count").asLong()).isEqualTo(5);
        JsonNode item = r.at("/traffic/item");
        assertThat(item.path("unit").asText()).isEqualTo("minute");
        assertThat(item.path("appId").asText()).isEqualTo(full.appId());
        assertThat(item.path("schema").asText()).isNotEmpty();
        assertThat(item.path("inProgress").asText()).isNotEmpty();
        assertThat(item.path("intervalId").asText()).matches("\\d{4}-\\d{2}-\\d{2}:\\d{2}:\\d{2}");

        // paging over the fixtures, following the Link headers
        assertThat(ids(r.at("/paging/backwards")))
                .containsExactly("2025-02-03:15:05", "2025-02-03:15:04", "2025-02-03:15:03");
        assertThat(r.at("/paging/backwards/2/hasNext").asBoolean()).isFalse();
        assertThat(ids(r.at("/paging/forwards")))
                .containsExactly("2025-02-03:15:03", "2025-02-03:15:04", "2025-02-03:15:05");

        // batch publish: one result per spec, each with its successes and failures side by side
        JsonNode array = r.at("/batch/array");
        assertThat(array).hasSize(2);
        assertThat(array.at("/0/successCount").asInt()).isEqualTo(1);
        assertThat(array.at("/0/failureCount").asInt()).isEqualTo(1);
        assertThat(array.at("/0/results/0/channel").asText()).isEqualTo("ok");
        assertThat(array.at("/0/results/0/messageId").asText()).isNotEmpty();
        assertThat(array.at("/0/results/1/channel").asText()).isEqualTo("nope");
        assertThat(array.at("/0/results/1/error/statusCode").asInt()).isEqualTo(401);
        assertThat(array.at("/0/results/1/error/code").asInt()).isEqualTo(40160);
        assertThat(array.at("/0/results/1").has("messageId")).isFalse();
        assertThat(array.at("/1/successCount").asInt()).isEqualTo(1);
        JsonNode single = r.at("/batch/single");
        assertThat(single.path("successCount").asInt()).isEqualTo(1);
        assertThat(single.path("failureCount").asInt()).isEqualTo(1);
        JsonNode presence = r.at("/batch/presence");
        assertThat(presence.path("successCount").asInt()).isEqualTo(1);
        assertThat(presence.path("failureCount").asInt()).isEqualTo(1);
        assertThat(presence.at("/results/0/error/statusCode").asInt()).isEqualTo(401);
        assertThat(presence.at("/results/0").has("presence")).isFalse();
        assertThat(presence.at("/results/1/presence/0/clientId").asText()).isEqualTo("member");

        // rest.request: HttpPaginatedResponse on success and on errors
        JsonNode ok = r.at("/request/ok");
        assertThat(ok.path("statusCode").asInt()).isEqualTo(200);
        assertThat(ok.path("success").asBoolean()).isTrue();
        assertThat(ok.path("items")).hasSize(2);
        assertThat(r.at("/request/post/statusCode").asInt()).isEqualTo(201);
        assertThat(r.at("/request/post/success").asBoolean()).isTrue();
        JsonNode notFound = r.at("/request/notFound");
        assertThat(notFound.path("statusCode").asInt()).isEqualTo(404);
        assertThat(notFound.path("success").asBoolean()).isFalse();
        assertThat(notFound.path("errorCode").asInt()).isEqualTo(40400);
        assertThat(notFound.path("errorMessage").asText()).contains("Not found");
        JsonNode wrong = r.at("/request/wrongMethod");
        assertThat(wrong.path("statusCode").asInt()).isEqualTo(405);
        assertThat(wrong.path("success").asBoolean()).isFalse();
        assertThat(wrong.path("errorCode").asInt()).isEqualTo(40500);
    }
}

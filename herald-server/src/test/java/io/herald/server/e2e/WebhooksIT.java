package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WebhookReceiver;
import io.herald.webhooks.WebhookStats;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Webhooks from a running server, on the in-memory engine and on the Redis engine: REST publishes and an ably-java
 * client's presence reach a real HTTP endpoint, signed with the app's first key, enveloped as Ably does; the channel
 * filter keeps other channels out; lifecycle events of the filtered channels arrive too.
 */
class WebhooksIT {
    static final WebhookReceiver receiver = new WebhookReceiver();

    private static String rules() {
        return "    webhooks:\n"
                + "      - url: " + receiver.url() + "\n"
                + "        channelFilter: '^hooks:'\n"
                + "        sources: [channel.message, channel.presence, channel.lifecycle]\n"
                + "        headers: { X-Herald-Test: 'ok' }\n";
    }

    @RegisterExtension
    static final TestServer memory = TestServer.perClass(rules());

    @RegisterExtension
    static final TestServer redis = TestServer.perClassOnRedis(rules());

    static {
        receiver.trust(memory.full).trust(redis.full);
    }

    static Stream<TestServer> engines() {
        return Stream.of(memory, redis);
    }

    @AfterAll
    static void closeReceiver() {
        receiver.close();
    }

    private static Predicate<JsonNode> on(String source, String channel) {
        return i -> i.path("source").asText().equals(source)
                && i.path("data").path("channelId").asText().equals(channel);
    }

    private static void restPublish(TestServer server, String channel, String name, String data) {
        Http.Response r = Http.postJson(
                server.uri("/channels/" + channel + "/messages"),
                "{\"name\":\"" + name + "\",\"data\":\"" + data + "\"}",
                "Authorization",
                Http.basic(server.full));
        assertThat(r.status()).as(r.toString()).isEqualTo(201);
    }

    @ParameterizedTest(autoCloseArguments = false) // the servers are per class, closed after all cases
    @MethodSource("engines")
    void restPublishes_areDeliveredSignedAndFiltered(TestServer server) {
        String channel = "hooks:rest-" + server.engine();
        for (int i = 0; i < 3; i++) {
            restPublish(server, channel, "n" + i, "d" + i);
        }
        restPublish(server, "other-" + server.engine(), "n", "not for the hook");
        List<JsonNode> items = receiver.await(on("channel.message", channel), 3);
        List<String> data = new ArrayList<>();
        for (JsonNode item : items) {
            assertThat(item.path("webhookId").asText()).isEqualTo("test:0");
            assertThat(item.path("name").asText()).isEqualTo("channel.message");
            assertThat(item.path("serial").asText()).isNotEmpty();
            assertThat(item.path("data").path("site").asText()).isEqualTo("it-node");
            item.path("data")
                    .path("messages")
                    .forEach(m -> data.add(m.path("data").asText()));
        }
        assertThat(data).containsExactly("d0", "d1", "d2");
        assertThat(receiver.items(i -> i.path("data").path("channelId").asText().startsWith("other")))
                .isEmpty();
        assertThat(receiver.badSignatures()).isEmpty();
        WebhookStats stats = server.server().webhookStats();
        assertThat(stats).isNotNull();
        assertThat(Http.get(server.uri("/metrics")).text()).contains("herald_webhook_events_total{outcome=\"sent\"}");
    }

    @ParameterizedTest(autoCloseArguments = false)
    @MethodSource("engines")
    void ablyJavaPresence_andTheChannelsLifecycle_areDelivered(TestServer server) throws Exception {
        String channel = "hooks:presence-" + server.engine();
        var o = AblyJava.withKey(server, false, server.full.keyString());
        o.clientId = "carol";
        AblyRealtime rt = AblyJava.connect(o);
        try {
            Channel ch = rt.channels.get(channel);
            AblyJava.attach(ch);
            AblyJava.call("enter", l -> ch.presence.enter("here", l));
            JsonNode presence =
                    receiver.await(on("channel.presence", channel), 1).get(0);
            assertThat(presence.path("name").asText()).isEqualTo("presence.message");
            JsonNode member = presence.path("data").path("presence").get(0);
            assertThat(member.path("clientId").asText()).isEqualTo("carol");
            assertThat(member.path("data").asText()).isEqualTo("here");
            JsonNode opened = receiver.await(
                            i -> i.path("source").asText().equals("channel.lifecycle")
                                    && i.path("name").asText().equals("channel.opened")
                                    && i.path("data").path("channelId").asText().equals(channel),
                            1)
                    .get(0);
            assertThat(opened.path("data").path("status").path("isActive").asBoolean())
                    .isTrue();
        } finally {
            AblyJava.closeAll(rt);
        }
    }
}

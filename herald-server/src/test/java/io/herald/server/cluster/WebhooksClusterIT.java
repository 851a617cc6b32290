package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.herald.auth.ApiKey;
import io.herald.redis.testing.RedisServerProcess;
import io.herald.server.HeraldServer;
import io.herald.server.config.ConfigLoader;
import io.herald.server.config.ServerConfig;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.WebhookReceiver;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one Redis, each with the same webhook rule and a subscriber of the channel (so each node receives
 * every event): every message reaches the endpoint exactly once, sent by the node it was published on.
 */
class WebhooksClusterIT {
    private static final ApiKey KEY = new ApiKey("hooks", "k1", "c2VjcmV0LXNlY3JldC1zZWNyZXQ");

    @TempDir
    Path dir;

    @Test
    void eachEventIsDeliveredOncePerCluster() throws Exception {
        List<AutoCloseable> open = new ArrayList<>();
        try (RedisServerProcess redis = RedisServerProcess.start();
                WebhookReceiver receiver = new WebhookReceiver().trust(KEY)) {
            Path config = dir.resolve("herald.yaml");
            Files.writeString(
                    config,
                    "drainSeconds: 0\napps:\n  - id: hooks\n    keys:\n      - key: \"" + KEY.keyString() + "\"\n"
                            + "    webhooks:\n      - url: " + receiver.url() + "\n",
                    StandardCharsets.UTF_8);
            List<HeraldServer> nodes = new ArrayList<>();
            for (String id : List.of("node-a", "node-b")) {
                ServerConfig c = ConfigLoader.load(
                        config,
                        new ConfigLoader.Overrides(0, "127.0.0.1", "redis", redis.uri(), null, null, id),
                        Map.of());
                HeraldServer s = HeraldServer.start(c);
                open.add(s);
                nodes.add(s);
            }
            String channel = "cluster-hooks";
            List<String> seen = new CopyOnWriteArrayList<>();
            for (HeraldServer s : nodes) {
                var o = AblyJava.options(s.port(), false);
                o.key = KEY.keyString();
                AblyRealtime rt = AblyJava.connect(o);
                open.add(rt::close);
                Channel ch = rt.channels.get(channel);
                String node = s.config().core().serverId();
                ch.subscribe(m -> seen.add(node));
                AblyJava.attach(ch);
            }
            for (int i = 0; i < 6; i++) {
                HeraldServer s = nodes.get(i % 2);
                Http.Response r = Http.postJson(
                        URI.create("http://127.0.0.1:" + s.port() + "/channels/" + channel + "/messages"),
                        "{\"name\":\"m\",\"data\":\"" + i + "\"}",
                        "Authorization",
                        Http.basic(KEY));
                assertThat(r.status()).as(r.toString()).isEqualTo(201);
            }
            Predicate<JsonNode> ours =
                    i -> i.path("data").path("channelId").asText().equals(channel);
            receiver.await(ours, 6);
            long deadline = System.nanoTime() + 12_000_000_000L;
            while (seen.size() < 12 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(seen).as("both nodes received every message").hasSize(12);
            // both nodes saw all six; a node delivering what it only received would send six more now
            Thread.sleep(500); // a quiet period: what must NOT arrive has no event to wait for
            List<String> data = new ArrayList<>();
            List<String> sites = new ArrayList<>();
            for (JsonNode item : receiver.items(ours)) {
                sites.add(item.path("data").path("site").asText());
                item.path("data")
                        .path("messages")
                        .forEach(m -> data.add(m.path("data").asText()));
            }
            assertThat(data).containsExactlyInAnyOrder("0", "1", "2", "3", "4", "5");
            assertThat(sites).contains("node-a", "node-b");
            assertThat(receiver.badSignatures()).isEmpty();
        } finally {
            for (int i = open.size() - 1; i >= 0; i--) {
                open.get(i).close();
            }
        }
    }
}

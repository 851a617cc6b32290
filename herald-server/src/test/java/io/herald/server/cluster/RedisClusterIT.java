package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.Message;
import io.ably.lib.types.PaginatedResult;
import io.ably.lib.types.Param;
import io.ably.lib.types.PresenceMessage;
import io.herald.core.testing.Eventually;
import io.herald.redis.testing.RedisClusterProcess;
import io.herald.server.e2e.support.HeraldProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two Herald nodes (real processes, {@code --redis redis-cluster://...}) on a real three-master Redis Cluster, driven
 * by ably-java: messages, presence and history cross nodes whichever shard a channel lives on.
 */
class RedisClusterIT {
    private static RedisClusterProcess redis;
    private static Path config;
    private static HeraldProcess a;
    private static HeraldProcess b;
    private final List<AblyRealtime> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        redis = RedisClusterProcess.start(3, 0);
        Path dir = Files.createDirectories(Path.of("target", "cluster-logs"));
        config = Files.createTempFile(dir, "herald-", ".yaml");
        Files.writeString(config, """
                apps:
                  - id: cluster
                    keys:
                      - key: %s
                """.formatted(Cluster.KEY));
        a = HeraldProcess.redis("rc-a", HeraldProcess.freePort(), redis.uri(), config);
        b = HeraldProcess.redis("rc-b", HeraldProcess.freePort(), redis.uri(), config);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[] {a, b, redis}) {
            if (c != null) {
                c.close();
            }
        }
        if (config != null) {
            Files.deleteIfExists(config);
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(AblyRealtime::close);
    }

    private AblyRealtime connect(HeraldProcess node, String clientId) throws Exception {
        AblyRealtime r = Clients.realtime(Clients.keyOptions(node.port, Cluster.KEY, clientId));
        clients.add(r);
        return r;
    }

    @Test
    void publishOnA_subscribersOnB_onChannelsOfEveryShard_inOrder_andHistoryOnBoth() throws Exception {
        AblyRealtime subscriber = connect(b, "sub");
        AblyRealtime publisher = connect(a, "pub");
        int channels = 6;
        int each = 20;
        List<List<String>> got = new ArrayList<>();
        List<Channel> pubs = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            List<String> list = Collections.synchronizedList(new ArrayList<>());
            got.add(list);
            Channel sub = Clients.attached(subscriber, "shard-" + c);
            sub.subscribe(m -> list.add((String) m.data));
            pubs.add(Clients.attached(publisher, "shard-" + c));
        }
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            for (Channel p : pubs) {
                String data = p.name + "/" + i;
                acks.add(Clients.done(l -> p.publish("n", data, l)));
            }
        }
        Clients.await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
        Eventually.await(
                "every message on B", Duration.ofSeconds(20), () -> got.stream().allMatch(l -> l.size() >= each));
        AblyRest restA = Clients.rest(a.port, Cluster.KEY);
        AblyRest restB = Clients.rest(b.port, Cluster.KEY);
        for (int c = 0; c < channels; c++) {
            String name = "shard-" + c;
            List<String> expected =
                    IntStream.range(0, each).mapToObj(i -> name + "/" + i).toList();
            assertThat(got.get(c)).as(name + " at B").containsExactlyElementsOf(expected);
            assertThat(history(restA, name)).containsExactlyElementsOf(expected);
            assertThat(history(restB, name)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void presenceEnteredOnA_isSeenOnB() throws Exception {
        BlockingQueue<PresenceMessage> seen = new LinkedBlockingQueue<>();
        Channel watcher = Clients.attached(connect(b, "watcher"), "lobby");
        watcher.presence.subscribe(seen::add);
        Channel alice = Clients.attached(connect(a, "alice"), "lobby");
        Clients.await(Clients.done(l -> alice.presence.enter("hi", l)));
        PresenceMessage enter = seen.poll(20, TimeUnit.SECONDS);
        assertThat(enter).isNotNull();
        assertThat(enter.clientId).isEqualTo("alice");
        assertThat(enter.action).isEqualTo(PresenceMessage.Action.enter);
        PresenceMessage[] members = Clients.rest(b.port, Cluster.KEY)
                .channels
                .get("lobby")
                .presence
                .get(new Param[0])
                .items();
        assertThat(members).extracting(m -> m.clientId).containsExactly("alice");
    }

    private static List<String> history(AblyRest rest, String channel) throws Exception {
        PaginatedResult<Message> page = rest.channels
                .get(channel)
                .history(new Param[] {new Param("direction", "forwards"), new Param("limit", "100")});
        List<String> out = new ArrayList<>();
        for (Message m : page.items()) {
            out.add((String) m.data);
        }
        return out;
    }
}

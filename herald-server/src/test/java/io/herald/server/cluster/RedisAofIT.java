package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.types.Message;
import io.herald.auth.ApiKey;
import io.herald.core.testing.Eventually;
import io.herald.redis.testing.RedisServerProcess;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.Http;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Redis engine's durability with the settings docs/redis.md gives for it: a {@code redis-server} with the
 * append-only file on and {@code appendfsync always}, killed with SIGKILL (nothing saved at shutdown, no RDB
 * snapshot), comes back from its AOF with every message ably-java had acknowledged on a persisted channel, in order,
 * with the same serials, and new publishes go on in the same epoch.
 */
class RedisAofIT {
    private static final String CHANNEL = "persisted:aof";
    private static final ApiKey KEY = ApiKey.parse(Cluster.KEY);
    private final List<AblyRealtime> clients = new ArrayList<>();
    private Cluster cluster;

    @AfterEach
    void stop() {
        clients.forEach(AblyRealtime::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private record Stored(String id, String data, String epoch, long seq) {}

    /** The channel's history, oldest first, through the node's REST API. */
    private static List<Stored> history(HeraldProcess node) {
        Http.Response r = Http.get(
                URI.create("http://127.0.0.1:" + node.port + "/channels/" + CHANNEL
                        + "/messages?direction=forwards&limit=1000"),
                "Authorization",
                Http.basic(KEY));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        List<Stored> out = new ArrayList<>();
        for (JsonNode m : r.json()) {
            String serial = m.path("serial").asText();
            String event = serial.substring(0, serial.indexOf(':'));
            out.add(new Stored(
                    m.path("id").asText(),
                    m.path("data").asText(),
                    event.substring(0, event.lastIndexOf('-')),
                    Long.parseLong(event.substring(event.lastIndexOf('-') + 1))));
        }
        return out;
    }

    private static void awaitReady(HeraldProcess node, int status) {
        Eventually.await(
                node.id + " /health/ready " + status, Duration.ofSeconds(30), () -> node.readyStatus() == status);
    }

    private static void publish(Channel ch, int from, int to) throws Exception {
        for (int i = from; i < to; i++) {
            Message m = new Message("n", "message " + i);
            m.id = String.format("aof-%03d", i);
            Clients.await(Clients.done(l -> ch.publish(m, l)));
        }
    }

    @Test
    void redisKilledWithSigkill_historyComesBackFromTheAofInOrder_andSerialsGoOn() throws Exception {
        cluster = new Cluster("", RedisServerProcess.startWithAof("always"));
        HeraldProcess node = cluster.start("aof-node");
        AblyRealtime publisher = Clients.realtime(Clients.keyOptions(node.port, Cluster.KEY, "publisher"));
        clients.add(publisher);
        Channel ch = Clients.attached(publisher, CHANNEL);
        publish(ch, 0, 30);
        List<Stored> before = history(node);
        assertThat(before)
                .extracting(Stored::data)
                .containsExactlyElementsOf(
                        IntStream.range(0, 30).mapToObj(i -> "message " + i).toList());

        cluster.redis.crash();
        awaitReady(node, 503);
        assertThat(cluster.redis.dir().resolve("dump.rdb"))
                .as("no snapshot: only the AOF can restore the data")
                .doesNotExist();
        try (var files = Files.list(cluster.redis.dir().resolve("appendonlydir"))) {
            assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.contains(".aof"));
        }
        cluster.redis.restart();
        awaitReady(node, 200);

        List<Stored> after = history(node);
        assertThat(after)
                .as("every acknowledged message, in order, with the same serials")
                .isEqualTo(before);

        publish(ch, 30, 35);
        List<Stored> all = history(node);
        assertThat(all).hasSize(35);
        assertThat(all.subList(0, 30)).isEqualTo(before);
        assertThat(new HashSet<>(all.stream().map(Stored::epoch).toList()))
                .as("one epoch: the log's state came back")
                .containsExactly(before.get(0).epoch());
        List<Long> seqs = all.stream().map(Stored::seq).toList();
        assertThat(seqs)
                .as("serials go on from the last one before the crash")
                .isSorted()
                .doesNotHaveDuplicates();
        assertThat(all.get(30).seq()).isEqualTo(before.get(29).seq() + 1);
        assertThat(all.subList(30, 35))
                .extracting(Stored::id)
                .containsExactly("aof-030", "aof-031", "aof-032", "aof-033", "aof-034");
    }
}

package io.herald.redis;

import static io.herald.core.testing.TestEvents.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.core.testing.Eventually;
import io.herald.protocol.Message;
import io.herald.redis.testing.Node;
import io.herald.redis.testing.RedisClusterProcess;
import io.lettuce.core.cluster.SlotHash;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two engines on a real Redis Cluster of three masters, each with a replica: events cross nodes through sharded
 * pub/sub (only the channel's shard carries them), history and revocations are shared, and a master's failover keeps
 * the service going. The failover test kills a master, so it runs last.
 */
@Tag("redis") // starts redis-server: not in ./herald test --fast
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterNodesTest {
    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterNodesTest.class);
    private static final Duration RETENTION = Duration.ofMinutes(2);
    private static final RedisKeys KEYS = new RedisKeys("herald");
    private static RedisClusterProcess cluster;
    private final List<Node> nodes = new ArrayList<>();
    private String app;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcess.start(3, 1);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @BeforeEach
    void app() {
        app = "app" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Node::close);
    }

    private Node node(String id) {
        Node n = new Node(id + "-" + app, cluster.uri());
        nodes.add(n);
        return n;
    }

    private static PublishOutcome publish(Node n, ChannelId ch, String data) throws Exception {
        return Eventually.result(
                n.engine.broker().publish(new PublishRequest(ch, messages(ch.name(), data), RETENTION, false)));
    }

    private static List<String> history(Node n, ChannelId ch) throws Exception {
        List<String> out = new ArrayList<>();
        for (HistoryItem item : Eventually.result(n.engine
                        .history()
                        .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 1000, true, null, null)))
                .items()) {
            out.add(String.valueOf(((Message) item.item()).data));
        }
        return out;
    }

    /** The history, read again while it fails with 50300 (the node's client has not found the new master yet). */
    private static List<String> afterRefresh(Node n, ChannelId ch) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try {
                return n.engine
                        .history()
                        .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 1000, true, null, null))
                        .thenApply(p -> p.items().stream()
                                .map(i -> String.valueOf(((Message) i.item()).data))
                                .toList())
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                assertThat(e.getCause()).hasMessageContaining("Service temporarily unavailable");
                if (System.nanoTime() > deadline) {
                    throw e;
                }
            }
        }
    }

    private static String data(ChannelEvent e) {
        return String.valueOf(e.message().messages.get(0).data);
    }

    private static int slot(ChannelId ch) {
        return SlotHash.getSlot(KEYS.events(RedisKeys.tag(ch)));
    }

    @Test
    @Order(1)
    void crossNode_eventsReachTheOtherNodeThroughTheChannelsShardOnly_andHistoryIsTheSameOnBoth() throws Exception {
        Node a = node("a");
        Node b = node("b");
        // channels spread over the shards: at least one per master
        List<ChannelId> channels = new ArrayList<>();
        Set<Integer> masters = new HashSet<>();
        for (int i = 0; masters.size() < 3 || channels.size() < 6; i++) {
            ChannelId ch = new ChannelId(app, "room-" + i);
            channels.add(ch);
            masters.add(cluster.masterOf(slot(ch)).port());
        }
        for (ChannelId ch : channels) {
            Eventually.result(b.engine.broker().subscribe(ch));
        }
        for (ChannelId ch : channels) {
            for (int i = 0; i < 3; i++) {
                publish(a, ch, ch.name() + "/" + i);
            }
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < channels.size() * 3; i++) {
            ChannelEvent e = b.events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("event " + i + " at b").isNotNull();
            got.add(data(e));
        }
        List<String> sent = new ArrayList<>();
        for (ChannelId ch : channels) {
            List<String> expected = List.of(ch.name() + "/0", ch.name() + "/1", ch.name() + "/2");
            sent.addAll(expected);
            assertThat(got.stream().filter(d -> d.startsWith(ch.name() + "/")).toList())
                    .as("in order on " + ch)
                    .isEqualTo(expected);
            assertThat(history(a, ch)).isEqualTo(expected);
            assertThat(history(b, ch)).isEqualTo(expected);
            // the events' channel is a shard channel, subscribed on the slot's master only; no classic channel
            String name = KEYS.events(RedisKeys.tag(ch));
            RedisClusterProcess.Server owner = cluster.masterOf(slot(ch));
            for (RedisClusterProcess.Server s : cluster.running()) {
                String shardSubs = s.command("PUBSUB", "SHARDNUMSUB", name);
                assertThat(shardSubs)
                        .as("shard subscribers of " + name + " on " + s)
                        .isEqualTo(name + "\n" + (s == owner ? ":1" : ":0"));
                assertThat(s.command("PUBSUB", "NUMSUB", name)).isEqualTo(name + "\n:0");
            }
        }
        assertThat(got).containsExactlyInAnyOrderElementsOf(sent);
    }

    @Test
    @Order(2)
    void revocationAndPresence_madeOnOneNode_areSeenOnTheOther() throws Exception {
        Node a = node("a");
        Node b = node("b");
        long now = System.currentTimeMillis();
        Revocation r = new Revocation(app + ".key", "clientId", "mallory", now, now, now + 60_000);
        Eventually.result(a.engine.revocations().add(r));
        assertThat(b.revocations.poll(10, TimeUnit.SECONDS)).isEqualTo(r);
        assertThat(b.engine.revocations().forKey(app + ".key")).containsExactly(r);

        java.time.Instant forget = java.time.Instant.ofEpochMilli(now + 60_000);
        assertThat(Eventually.result(a.engine.nonces().claim(app + ".key", "n1", forget)))
                .isTrue();
        assertThat(Eventually.result(b.engine.nonces().claim(app + ".key", "n1", forget)))
                .isFalse();
    }

    @Test
    @Order(3)
    void shardPubSubConnectionDropped_eventsPublishedMeanwhileArriveInOrder() throws Exception {
        Node a = node("a");
        Node b = node("b");
        ChannelId ch = new ChannelId(app, "gap");
        Eventually.result(b.engine.broker().subscribe(ch));
        publish(a, ch, "first");
        assertThat(b.events.poll(10, TimeUnit.SECONDS)).isNotNull();
        // only the connection holding b's shard subscription: the events published until the client reconnects it
        // (and re-subscribes) travel on no connection, so only the renewal's catch-up from the log delivers them
        RedisClusterProcess.Server owner = cluster.masterOf(slot(ch));
        int killed = 0;
        for (String client : owner.command("CLIENT", "LIST", "TYPE", "pubsub").split("\n")) {
            if (client.contains(" ssub=") && !client.contains(" ssub=0 ")) {
                String id = client.substring(client.indexOf("id=") + 3, client.indexOf(' ', client.indexOf("id=")));
                assertThat(owner.command("CLIENT", "KILL", "ID", id)).isEqualTo(":1");
                killed++;
            }
        }
        assertThat(killed).isEqualTo(1);
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            sent.add("m" + i);
            publish(a, ch, "m" + i);
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            ChannelEvent e = b.events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("event " + i + " at b").isNotNull();
            got.add(data(e));
        }
        assertThat(got).isEqualTo(sent);
    }

    @Test
    @Order(4)
    void reshard_aChannelsSlotMovesToAnotherMaster_publishesFollowTheRedirection_andTheSubscriberFollows()
            throws Exception {
        Node a = node("a");
        Node b = node("b");
        ChannelId ch = new ChannelId(app, "moving");
        Eventually.result(b.engine.broker().subscribe(ch));
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            sent.add("before-" + i);
            publish(a, ch, "before-" + i);
        }
        int slot = slot(ch);
        RedisClusterProcess.Server from = cluster.masterOf(slot);
        RedisClusterProcess.Server to = cluster.running().stream()
                .filter(s -> s != from && isMaster(s))
                .findFirst()
                .orElseThrow();
        moveSlot(slot, from, to);
        assertThat(cluster.masterOf(slot)).isSameAs(to);
        // a's next publishes are answered MOVED by the old master: the client follows and refreshes its slot map
        for (int i = 0; i < 5; i++) {
            sent.add("after-" + i);
            publish(a, ch, "after-" + i);
        }
        List<String> got = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            ChannelEvent e = b.events.poll(30, TimeUnit.SECONDS);
            assertThat(e).as("event " + i + " at b").isNotNull();
            got.add(data(e));
        }
        assertThat(got).isEqualTo(sent);
        assertThat(history(a, ch)).isEqualTo(sent);
        assertThat(history(b, ch)).isEqualTo(sent);
        String name = KEYS.events(RedisKeys.tag(ch));
        Eventually.await("b's shard subscription on the new master", Duration.ofSeconds(20), () -> {
            try {
                return to.command("PUBSUB", "SHARDNUMSUB", name).equals(name + "\n:1");
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    private static boolean isMaster(RedisClusterProcess.Server s) {
        try {
            return s.info("replication", "role").equals("master");
        } catch (java.io.IOException e) {
            return false;
        }
    }

    /** Moves one slot with its keys, as {@code redis-cli --cluster reshard} does: IMPORTING, MIGRATING, MIGRATE, NODE. */
    private static void moveSlot(int slot, RedisClusterProcess.Server from, RedisClusterProcess.Server to)
            throws Exception {
        String s = Integer.toString(slot);
        String fromId = from.command("CLUSTER", "MYID");
        String toId = to.command("CLUSTER", "MYID");
        assertThat(to.command("CLUSTER", "SETSLOT", s, "IMPORTING", fromId)).isEqualTo("OK");
        assertThat(from.command("CLUSTER", "SETSLOT", s, "MIGRATING", toId)).isEqualTo("OK");
        String keys;
        while (!(keys = from.command("CLUSTER", "GETKEYSINSLOT", s, "100")).isEmpty() && !keys.equals("*0")) {
            List<String> migrate = new ArrayList<>(
                    List.of("MIGRATE", "127.0.0.1", Integer.toString(to.port()), "", "0", "5000", "KEYS"));
            migrate.addAll(List.of(keys.split("\n")));
            assertThat(from.command(migrate.toArray(String[]::new))).isEqualTo("OK");
        }
        for (RedisClusterProcess.Server m : cluster.running()) {
            if (isMaster(m)) {
                assertThat(m.command("CLUSTER", "SETSLOT", s, "NODE", toId)).isEqualTo("OK");
            }
        }
        cluster.awaitHealthy();
    }

    @Test
    @Order(5)
    void failover_aKilledMastersReplicaTakesOver_acknowledgedEventsStay_andBothNodesGoOn() throws Exception {
        Node a = node("a");
        Node b = node("b");
        ChannelId ch = new ChannelId(app, "failover");
        Eventually.result(b.engine.broker().subscribe(ch));
        List<String> before = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            before.add("before-" + i);
            publish(a, ch, "before-" + i);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(b.events.poll(10, TimeUnit.SECONDS)).isNotNull();
        }
        RedisClusterProcess.Server master = cluster.masterOf(slot(ch));
        RedisClusterProcess.Server replica = cluster.replicaOf(master);
        long offset = Long.parseLong(master.info("replication", "master_repl_offset"));
        RedisClusterProcess.await("the replica has what the master has", () -> offsetOf(replica) >= offset);

        // a publisher that goes on through the failover: what it got ACKed, and when it worked again
        Publisher publisher = new Publisher(a, ch);
        Thread thread = new Thread(publisher, "failover-publisher");
        thread.start();
        Eventually.await("publishes before the kill", Duration.ofSeconds(10), () -> publisher.acked.size() >= 20);
        long killedAt = System.nanoTime();
        publisher.killedAt = killedAt;
        master.kill();
        RedisClusterProcess.await("the replica is master", () -> {
            try {
                return replica.info("replication", "role").equals("master");
            } catch (java.io.IOException e) {
                return false;
            }
        });
        Eventually.await("publishes after the failover", Duration.ofSeconds(60), () -> publisher.afterKill >= 10);
        publisher.stop = true;
        thread.join(10_000);
        long downMillis = TimeUnit.NANOSECONDS.toMillis(publisher.firstAfterKill - killedAt);

        List<String> atA = history(a, ch);
        // b has not written to the slot since the kill: its reads go to the dead master until its client refreshes
        // the slot map (its reconnection attempts trigger that); they fail (50300) meanwhile
        long bFrom = System.nanoTime();
        List<String> atB = afterRefresh(b, ch);
        long bMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - bFrom);
        assertThat(atB).isEqualTo(atA);
        assertThat(atA).startsWith(before.toArray(String[]::new));
        List<String> lost = new ArrayList<>(publisher.acked);
        lost.removeAll(atA);
        LOG.info(
                "failover: publishes failed for {} ms ({} NACKed); b read again {} ms later; {} of {} acknowledged "
                        + "publishes lost: {}",
                downMillis,
                publisher.failed,
                bMillis,
                lost.size(),
                publisher.acked.size(),
                lost);
        // replication is asynchronous: only publishes acknowledged just before the kill may be lost
        assertThat(lost.size()).isLessThanOrEqualTo(5);
        assertThat(publisher.acked.subList(publisher.acked.size() - 10, publisher.acked.size()))
                .as("everything acknowledged after the failover")
                .allSatisfy(d -> assertThat(atA).contains(d));

        // the subscribed node renewed its shard subscription on the new master: the last event reaches it
        String last = publisher.acked.get(publisher.acked.size() - 1);
        Eventually.await("b receives " + last, Duration.ofSeconds(20), () -> {
            ChannelEvent e;
            while ((e = b.events.poll()) != null) {
                if (data(e).equals(last)) {
                    return true;
                }
            }
            return false;
        });
        String name = KEYS.events(RedisKeys.tag(ch));
        assertThat(replica.command("PUBSUB", "SHARDNUMSUB", name)).isEqualTo(name + "\n:1");
        // and a node started after the failover works too
        Node c = node("c");
        assertThat(history(c, ch)).isEqualTo(atA);
        publish(c, ch, "from-c");
        assertThat(history(a, ch)).endsWith("from-c");
    }

    private static long offsetOf(RedisClusterProcess.Server replica) {
        try {
            String o = replica.info("replication", "slave_repl_offset");
            return o.isEmpty() ? -1 : Long.parseLong(o);
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    /** Publishes one message after another until stopped, recording which were acknowledged. */
    private static final class Publisher implements Runnable {
        final Node node;
        final ChannelId ch;
        final List<String> acked = java.util.Collections.synchronizedList(new ArrayList<>());
        volatile long killedAt;
        volatile long firstAfterKill;
        volatile int afterKill;
        volatile int failed;
        volatile boolean stop;

        Publisher(Node node, ChannelId ch) {
            this.node = node;
            this.ch = ch;
        }

        @Override
        public void run() {
            for (int i = 0; !stop; i++) {
                long started = System.nanoTime();
                String d = "during-" + i;
                try {
                    node.engine
                            .broker()
                            .publish(new PublishRequest(ch, messages(ch.name(), d), RETENTION, false))
                            .toCompletableFuture()
                            .get(10, TimeUnit.SECONDS);
                    acked.add(d);
                    long k = killedAt;
                    if (k != 0 && started > k) {
                        if (afterKill == 0) {
                            firstAfterKill = System.nanoTime();
                        }
                        afterKill++;
                    }
                } catch (Exception e) {
                    failed++;
                    // a NACK (50300) while the slot has no master: pace the retries, as a client's backoff would
                    java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
                }
            }
        }
    }
}

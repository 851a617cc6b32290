package io.herald.redis;

import static io.herald.core.testing.TestEvents.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.ConnectionRecord;
import io.herald.core.engine.PresenceSnapshot;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.core.testing.Eventually;
import io.herald.protocol.Action;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import io.herald.redis.testing.Node;
import io.herald.redis.testing.RedisServerProcess;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Several engines on one Redis behave as one service: the engine-level half of the cluster's guarantees. */
@Tag("redis") // starts redis-server: not in ./herald test --fast
class RedisNodesTest {
    private static final Duration RETENTION = Duration.ofMinutes(2);
    private static RedisServerProcess redis;
    private final List<Node> nodes = new ArrayList<>();
    private String app;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void app() {
        app = "app" + UUID.randomUUID().toString().substring(0, 8);
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Node::close);
    }

    private Node node(String id, String query) {
        Node n = new Node(id + "-" + app, redis.uri() + query);
        nodes.add(n);
        return n;
    }

    private static ProtocolMessage presence(String channel, int action, String clientId, String connectionId) {
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, channel);
        pm.connectionId = connectionId;
        pm.id = connectionId + ":" + UUID.randomUUID();
        pm.timestamp = System.currentTimeMillis();
        PresenceMessage p = new PresenceMessage();
        p.action = action;
        p.clientId = clientId;
        p.connectionId = connectionId;
        p.id = pm.id + ":0";
        p.timestamp = pm.timestamp;
        pm.presence = new ArrayList<>(List.of(p));
        return pm;
    }

    private static List<ChannelEvent> take(Node n, int count) throws InterruptedException {
        List<ChannelEvent> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ChannelEvent e = n.events.poll(10, TimeUnit.SECONDS);
            assertThat(e).as(n.id + ": event " + i + " of " + count).isNotNull();
            out.add(e);
        }
        return out;
    }

    @Test
    void publish_onTwoNodesAtOnce_everySubscribedNodeSeesOneOrder() throws Exception {
        Node a = node("a", "");
        Node b = node("b", "");
        Node c = node("c", "");
        ChannelId ch = new ChannelId(app, "orders");
        Eventually.result(b.engine.broker().subscribe(ch));
        Eventually.result(c.engine.broker().subscribe(ch));
        int perNode = 300;
        List<Thread> publishers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (Node p : List.of(a, b)) {
            Thread t = new Thread(() -> {
                try {
                    for (int i = 0; i < perNode; i++) {
                        Eventually.result(p.engine
                                .broker()
                                .publish(
                                        new PublishRequest(ch, messages(ch.name(), p.id + "-" + i), RETENTION, false)));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            t.start();
            publishers.add(t);
        }
        for (Thread t : publishers) {
            t.join(60_000);
        }
        assertThat(failures).isEmpty();
        List<ChannelEvent> atB = take(b, 2 * perNode);
        List<ChannelEvent> atC = take(c, 2 * perNode);
        assertThat(atB)
                .extracting(ChannelEvent::serial)
                .isEqualTo(atC.stream().map(ChannelEvent::serial).toList());
        for (int i = 0; i < atB.size(); i++) {
            assertThat(atB.get(i).seq()).isEqualTo(i + 1);
        }
        assertThat(a.events).isEmpty();
        assertThat(Eventually.result(a.engine.broker().position(ch)).seq()).isEqualTo(2L * perNode);
    }

    @Test
    void nonce_usedOnOneNode_isRefusedOnAnother() throws Exception {
        Node a = node("a", "");
        Node b = node("b", "");
        Instant until = Instant.now().plusSeconds(60);
        assertThat(Eventually.result(a.engine.nonces().claim(app + ".key", "nonce-0123456789", until)))
                .isTrue();
        assertThat(Eventually.result(b.engine.nonces().claim(app + ".key", "nonce-0123456789", until)))
                .isFalse();
    }

    @Test
    void revocation_addedOnOneNode_reachesEveryNodeOnce() throws Exception {
        Node a = node("a", "");
        Node b = node("b", "");
        long now = System.currentTimeMillis();
        Revocation r = new Revocation(app + ".key", "clientId", "mallory", now, now, now + 60_000);
        Eventually.result(b.engine.revocations().add(r));
        assertThat(a.revocations.poll(10, TimeUnit.SECONDS)).isEqualTo(r);
        assertThat(b.revocations.poll(10, TimeUnit.SECONDS)).isEqualTo(r);
        assertThat(a.engine.revocations().forKey(app + ".key")).containsExactly(r);
        Node late = node("late", "");
        assertThat(late.engine.revocations().forKey(app + ".key")).containsExactly(r);
        assertThat(b.revocations.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void takeover_isAnnouncedEverywhere_andTheTakerOwnsTheMembers() throws Exception {
        Node a = node("a", "");
        Node b = node("b", "");
        ChannelId ch = new ChannelId(app, "room");
        Eventually.result(a.engine
                .broker()
                .publish(new PublishRequest(
                        ch, presence(ch.name(), PresenceMessage.ENTER, "alice", "connX"), RETENTION, false)));
        String owners = "herald:" + RedisKeys.tag(ch) + ":o";
        assertThat(redis.command("HGET", owners, "connX:alice")).isEqualTo(a.engine.instance());
        Eventually.result(b.engine.connections().announceTakeover("connX", b.id));
        assertThat(a.takeovers.poll(10, TimeUnit.SECONDS)).isEqualTo("connX@" + b.id);
        assertThat(b.takeovers.poll(10, TimeUnit.SECONDS)).isEqualTo("connX@" + b.id);
        assertThat(redis.command("HGET", owners, "connX:alice")).isEqualTo(b.engine.instance());
    }

    @Test
    void nodeIndex_channelWhereTheNodeHasNoMembersLeft_isPruned() throws Exception {
        Node a = node("a", "");
        ChannelId stays = new ChannelId(app, "stays");
        ChannelId left = new ChannelId(app, "left");
        for (ChannelId ch : List.of(stays, left)) {
            Eventually.result(a.engine
                    .broker()
                    .publish(new PublishRequest(
                            ch, presence(ch.name(), PresenceMessage.ENTER, "ann", "connP"), RETENTION, false)));
        }
        Eventually.result(a.engine
                .broker()
                .publish(new PublishRequest(
                        left, presence(left.name(), PresenceMessage.LEAVE, "ann", "connP"), RETENTION, false)));
        String index = "herald:node:" + a.engine.instance() + ":ch";
        assertThat(redis.command("SCARD", index)).isEqualTo(":2");
        a.engine.liveness().prune();
        Eventually.await("the index is pruned", Duration.ofSeconds(10), () -> {
            try {
                return redis.command("SCARD", index).equals(":1")
                        && redis.command("SISMEMBER", index, RedisKeys.tag(stays))
                                .equals(":1");
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    @Test
    void connectionRecord_savedOnOneNode_loadsOnAnother() throws Exception {
        Node a = node("a", "");
        Node b = node("b", "");
        long expires = System.currentTimeMillis() + 60_000;
        ConnectionRecord r = new ConnectionRecord("connR", "connR!secret", app, null, a.id, expires);
        Eventually.result(a.engine.connections().save(r));
        assertThat(Eventually.result(b.engine.connections().load("connR"))).isEqualTo(r);
        Eventually.result(a.engine.connections().remove("connR"));
        assertThat(Eventually.result(b.engine.connections().load("connR"))).isNull();
    }

    @Test
    void deadNode_itsMembersLeaveEverywhere_butMembersTakenOverStay() throws Exception {
        Node a = node("a", "?nodeTimeout=2s");
        Node b = node("b", "?nodeTimeout=2s");
        ChannelId ch = new ChannelId(app, "lobby");
        Eventually.result(b.engine.broker().subscribe(ch));
        Eventually.result(a.engine
                .broker()
                .publish(new PublishRequest(
                        ch, presence(ch.name(), PresenceMessage.ENTER, "ann", "connA"), RETENTION, false)));
        Eventually.result(a.engine
                .broker()
                .publish(new PublishRequest(
                        ch, presence(ch.name(), PresenceMessage.ENTER, "bea", "connM"), RETENTION, false)));
        take(b, 2);
        // connM resumes on b (its record names b), then a dies: only ann leaves
        Eventually.result(b.engine
                .connections()
                .save(new ConnectionRecord("connM", "connM!k", app, "bea", b.id, System.currentTimeMillis() + 60_000)));
        Eventually.result(b.engine.connections().announceTakeover("connM", b.id));
        a.close();
        ChannelEvent leave = b.events.poll(15, TimeUnit.SECONDS);
        assertThat(leave).as("a LEAVE after the node timeout").isNotNull();
        assertThat(leave.action()).isEqualTo(Action.PRESENCE);
        assertThat(leave.message().presence).singleElement().satisfies(p -> {
            assertThat(p.action).isEqualTo(PresenceMessage.LEAVE);
            assertThat(p.clientId).isEqualTo("ann");
        });
        PresenceSnapshot s = Eventually.result(b.engine.presence().members(ch));
        assertThat(s.members()).extracting(m -> m.clientId).containsExactly("bea");
        Eventually.await("the dead instance is forgotten", Duration.ofSeconds(10), () -> {
            try {
                return redis.command("ZSCORE", "herald:nodes", a.engine.instance())
                        .equals("$-1");
            } catch (java.io.IOException e) {
                return false;
            }
        });
    }

    @Test
    void pubsubConnectionDropped_eventsPublishedMeanwhileArriveInOrder() throws Exception {
        Node a = node("a", "");
        Node b = node("b", "");
        ChannelId ch = new ChannelId(app, "gap");
        Eventually.result(b.engine.broker().subscribe(ch));
        Eventually.result(
                a.engine.broker().publish(new PublishRequest(ch, messages(ch.name(), "first"), RETENTION, false)));
        take(b, 1);
        assertThat(redis.command("CLIENT", "KILL", "TYPE", "pubsub")).startsWith(":");
        List<PublishOutcome> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add(Eventually.result(
                    a.engine.broker().publish(new PublishRequest(ch, messages(ch.name(), "m" + i), RETENTION, false))));
        }
        List<ChannelEvent> got = take(b, 50);
        assertThat(got)
                .extracting(ChannelEvent::serial)
                .containsExactlyElementsOf(
                        sent.stream().map(PublishOutcome::serial).toList());
        ChannelSerial last = sent.get(sent.size() - 1).serial();
        Eventually.result(
                a.engine.broker().publish(new PublishRequest(ch, messages(ch.name(), "after"), RETENTION, false)));
        assertThat(take(b, 1).get(0).seq()).isEqualTo(last.seq() + 1);
    }

    @Test
    void occupancy_reportedOnTwoNodes_bothReadTheSumAndTheSameActiveChannels() throws Exception {
        Node a = node("a", "");
        Node b = node("b", "");
        ChannelId ch = new ChannelId(app, "occ:room");
        var onA = new io.herald.core.engine.OccupancyCounts(2, 2, 2, 1, 2, 0, 0);
        var onB = new io.herald.core.engine.OccupancyCounts(1, 0, 1, 0, 1, 0, 0);
        a.engine.occupancy().report(ch, onA).toCompletableFuture().get(5, TimeUnit.SECONDS);
        b.engine.occupancy().report(ch, onB).toCompletableFuture().get(5, TimeUnit.SECONDS);
        var sum = onA.plus(onB);
        assertThat(a.engine.occupancy().total(ch).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(sum);
        assertThat(b.engine.occupancy().total(ch).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(sum);
        a.engine
                .occupancy()
                .report(ch, io.herald.core.engine.OccupancyCounts.ZERO)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(b.engine.occupancy().total(ch).toCompletableFuture().get(5, TimeUnit.SECONDS))
                .isEqualTo(onB);
        assertThat(a.engine
                        .occupancy()
                        .active(app, "occ:", null, 10)
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS)
                        .names())
                .containsExactly("occ:room");
        b.engine
                .occupancy()
                .report(ch, io.herald.core.engine.OccupancyCounts.ZERO)
                .toCompletableFuture()
                .get(5, TimeUnit.SECONDS);
        assertThat(a.engine
                        .occupancy()
                        .active(app, "occ:", null, 10)
                        .toCompletableFuture()
                        .get(5, TimeUnit.SECONDS)
                        .names())
                .isEmpty();
    }
}

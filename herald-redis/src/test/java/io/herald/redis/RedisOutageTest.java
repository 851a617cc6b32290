package io.herald.redis;

import static io.herald.core.testing.TestEvents.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.core.internal.AblyException;
import io.herald.core.testing.Eventually;
import io.herald.protocol.Action;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import io.herald.redis.testing.Node;
import io.herald.redis.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Redis going away and coming back: fail fast with 50300, not ready, and recover without a restart. */
@Tag("redis") // starts redis-server: not in ./herald test --fast
class RedisOutageTest {
    private static final Duration RETENTION = Duration.ofMinutes(2);
    private RedisServerProcess redis;
    private final List<Node> nodes = new ArrayList<>();

    @BeforeEach
    void startRedis() {
        redis = RedisServerProcess.start();
    }

    @AfterEach
    void stop() {
        nodes.forEach(Node::close);
        redis.close();
    }

    private Node node(String id) {
        Node n = new Node(id, redis.uri());
        nodes.add(n);
        return n;
    }

    private static PublishRequest message(ChannelId ch, String data) {
        return new PublishRequest(ch, messages(ch.name(), data), RETENTION, false);
    }

    @Test
    void redisRestarted_publishFailsFastWith50300_thenEverythingRecovers() throws Exception {
        Node a = node("a");
        Node b = node("b");
        ChannelId ch = new ChannelId("app", "outage");
        Eventually.result(b.engine.broker().subscribe(ch));
        PublishOutcome before = Eventually.result(a.engine.broker().publish(message(ch, "before")));
        assertThat(b.events.poll(10, TimeUnit.SECONDS)).isNotNull();

        redis.stop();
        assertThat(a.readiness.poll(5, TimeUnit.SECONDS)).isFalse();
        assertThat(b.readiness.poll(5, TimeUnit.SECONDS)).isFalse();
        assertThat(a.engine.isReady()).isFalse();
        long started = System.nanoTime();
        assertThatThrownBy(() -> Eventually.result(a.engine.broker().publish(message(ch, "lost"))))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AblyException.class)
                .satisfies(t -> assertThat(((AblyException) t).error().code()).isEqualTo(50300));
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)).isLessThan(1_000);
        assertThatThrownBy(() -> Eventually.result(b.engine.presence().members(ch)))
                .cause()
                .isInstanceOf(AblyException.class);

        redis.restart();
        assertThat(a.readiness.poll(15, TimeUnit.SECONDS)).isTrue();
        assertThat(b.readiness.poll(15, TimeUnit.SECONDS)).isTrue();
        PublishOutcome after = Eventually.result(a.engine.broker().publish(message(ch, "after")));
        assertThat(after.serial().epoch()).isEqualTo(before.serial().epoch());
        assertThat(after.serial().seq()).isEqualTo(before.serial().seq() + 1);
        ChannelEvent e = b.events.poll(10, TimeUnit.SECONDS);
        assertThat(e).as("delivery resumed on the renewed subscription").isNotNull();
        assertThat(e.message().messages.get(0).data).isEqualTo("after");
    }

    @Test
    void redisHangs_nodeIsNotReadyAndPublishesTimeOutWith50300_thenRecovers() throws Exception {
        Node a = new Node("a", redis.uri() + "?commandTimeout=1s");
        nodes.add(a);
        ChannelId ch = new ChannelId("app", "hang");
        Eventually.result(a.engine.broker().publish(message(ch, "before")));
        assertThat(redis.command("CLIENT", "PAUSE", "6000", "ALL")).isEqualTo("+OK");
        assertThatThrownBy(() -> Eventually.result(a.engine.broker().publish(message(ch, "stuck"))))
                .cause()
                .isInstanceOf(AblyException.class)
                .satisfies(t -> assertThat(((AblyException) t).error().code()).isEqualTo(50300));
        assertThat(a.readiness.poll(10, TimeUnit.SECONDS)).isFalse();
        assertThat(a.readiness.poll(15, TimeUnit.SECONDS)).isTrue();
        Eventually.result(a.engine.broker().publish(message(ch, "after")));
    }

    @Test
    void redisLostItsData_theChannelStartsANewLifeAndDeliveryGoesOn() throws Exception {
        Node a = node("a");
        Node b = node("b");
        ChannelId ch = new ChannelId("app", "amnesia");
        Eventually.result(b.engine.broker().subscribe(ch));
        PublishOutcome before = Eventually.result(a.engine.broker().publish(message(ch, "before")));
        assertThat(b.events.poll(10, TimeUnit.SECONDS)).isNotNull();
        redis.kill();
        assertThat(a.readiness.poll(5, TimeUnit.SECONDS)).isFalse();
        assertThat(b.readiness.poll(5, TimeUnit.SECONDS)).isFalse();
        redis.restart();
        assertThat(a.readiness.poll(15, TimeUnit.SECONDS)).isTrue();
        assertThat(b.readiness.poll(15, TimeUnit.SECONDS)).isTrue();
        PublishOutcome after = Eventually.result(a.engine.broker().publish(message(ch, "after")));
        assertThat(after.serial().epoch()).isNotEqualTo(before.serial().epoch());
        assertThat(after.serial().seq()).isEqualTo(1);
        ChannelEvent e = b.events.poll(10, TimeUnit.SECONDS);
        assertThat(e).isNotNull();
        assertThat(e.serial()).isEqualTo(after.serial());
    }

    @Test
    void serverLeaveThatFailedWhileRedisWasDown_isAppliedWhenItComesBack() throws Exception {
        Node a = node("a");
        ChannelId ch = new ChannelId("app", "ghosts");
        Eventually.result(a.engine
                .broker()
                .publish(new PublishRequest(ch, presence(ch, PresenceMessage.ENTER, "c1:0:0"), RETENTION, false)));
        redis.stop();
        assertThat(a.readiness.poll(5, TimeUnit.SECONDS)).isFalse();
        assertThatThrownBy(() -> Eventually.result(a.engine
                        .broker()
                        .publish(new PublishRequest(
                                ch, presence(ch, PresenceMessage.LEAVE, "leave-abc:0:0"), RETENTION, false))))
                .cause()
                .isInstanceOf(AblyException.class);
        redis.restart();
        Eventually.await("the member left", Duration.ofSeconds(20), () -> {
            try {
                return a.engine.isReady()
                        && Eventually.result(a.engine.presence().members(ch))
                                .members()
                                .isEmpty();
            } catch (Exception e) {
                return false;
            }
        });
    }

    private static ProtocolMessage presence(ChannelId ch, int action, String id) {
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, ch.name());
        pm.connectionId = "c1";
        pm.id = id;
        pm.timestamp = System.currentTimeMillis();
        PresenceMessage p = new PresenceMessage();
        p.action = action;
        p.clientId = "ann";
        p.connectionId = "c1";
        p.id = id;
        p.timestamp = pm.timestamp;
        pm.presence = new ArrayList<>(List.of(p));
        return pm;
    }

    @Test
    void revocationAddedWhileANodeWasCutOff_reachesItWhenItReconnects() throws Exception {
        Node a = node("a");
        Node b = node("b");
        redis.command("CLIENT", "KILL", "TYPE", "pubsub");
        long now = System.currentTimeMillis();
        Revocation r = new Revocation("app.key", "clientId", "eve", now, now, now + 60_000);
        Eventually.result(a.engine.revocations().add(r));
        assertThat(b.revocations.poll(10, TimeUnit.SECONDS)).isEqualTo(r);
        assertThat(b.engine.revocations().forKey("app.key")).containsExactly(r);
    }

    @Test
    void startedWhileRedisIsDown_becomesReadyWhenRedisComes() throws Exception {
        redis.stop();
        Node a = node("a");
        assertThat(a.engine.isReady()).isFalse();
        assertThatThrownBy(() -> Eventually.result(a.engine.broker().position(new ChannelId("app", "x"))))
                .cause()
                .isInstanceOf(AblyException.class);
        redis.restart();
        Eventually.await("ready", Duration.ofSeconds(15), a.engine::isReady);
        ChannelId ch = new ChannelId("app", "late");
        Eventually.result(a.engine.broker().subscribe(ch));
        Eventually.result(a.engine.broker().publish(message(ch, "hello")));
        assertThat(a.events.poll(10, TimeUnit.SECONDS)).isNotNull();
    }
}

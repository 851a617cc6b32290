package io.herald.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.testing.RecordingTransport;
import io.herald.core.testing.TestNode;
import io.herald.core.transport.Loop;
import io.herald.protocol.Action;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The node as the server uses it: readiness, counts, configuration reloads that drop removed keys' connections,
 * revocations reaching live connections, shutdown and drain.
 */
class HeraldNodeTest {
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey second = ApiKey.generate("app");
    private final ApiKey revocable = ApiKey.generate("app");
    private final AppConfig app = new AppConfig(
            "app",
            List.of(
                    KeyConfig.fullAccess(key),
                    KeyConfig.fullAccess(second),
                    new KeyConfig(revocable, Capability.ALL, true)));
    private final TestNode t = new TestNode(app);

    @AfterEach
    void close() {
        t.close();
    }

    @Test
    void accessors_andReadiness() {
        assertThat(t.node.isReady()).isTrue();
        assertThat(t.node.config()).isSameAs(t.config);
        assertThat(t.node.keys().key(key.keyName())).isNotNull();
        assertThat(t.node.observer()).isSameAs(t.observer);
        assertThat(t.node.engine().isReady()).isTrue();
        try (TestNode empty = new TestNode()) {
            assertThat(empty.node.isReady()).as("no keys").isFalse();
        }
        HeraldNode noObserver = new HeraldNode(t.config, t.node.engine(), t.clock, null);
        assertThat(noObserver.observer()).isSameAs(io.herald.core.observe.Observer.NONE);
    }

    @Test
    void counts_connectionsAndChannels() {
        assertThat(t.node.connectionCount()).isZero();
        TestNode.Client a = t.connect(Map.of("key", key.keyString()));
        TestNode.Client b = t.connect(Map.of("key", key.keyString()));
        a.attach("one");
        b.attach("one");
        b.attach("two");
        assertThat(t.node.connectionCount()).isEqualTo(2);
        assertThat(t.node.connectedCount()).isEqualTo(2);
        assertThat(t.node.channelCount()).isEqualTo(2);
        b.handler.onClosed("network");
        t.loop.runPending();
        assertThat(t.node.connectedCount())
                .as("b may resume, but has no transport")
                .isEqualTo(1);
        assertThat(t.node.connectionCount()).isEqualTo(2);
    }

    @Test
    void reloadApps_removedKeyIsRefusedAndItsConnectionsClosed_othersStay() {
        TestNode.Client kept = t.connect(Map.of("key", key.keyString()));
        TestNode.Client dropped = t.connect(Map.of("key", second.keyString()));
        var removed = t.node.reloadApps(List.of(new AppConfig("app", List.of(KeyConfig.fullAccess(key)))));
        t.loop.runPending();
        assertThat(removed).containsExactlyInAnyOrder(second.keyName(), revocable.keyName());
        assertThat(dropped.of(Action.DISCONNECTED))
                .singleElement()
                .satisfies(pm -> assertThat(pm.error.code()).isEqualTo(40131));
        assertThat(dropped.transport.isOpen()).isFalse();
        assertThat(kept.transport.isOpen()).isTrue();
        assertThat(kept.of(Action.DISCONNECTED)).isEmpty();
        assertThat(t.get("/stats").basic(second).send().errorCode()).isEqualTo(40101);
        assertThat(t.get("/stats").basic(key).send().status()).isEqualTo(200);
    }

    @Test
    void revokeTokens_overRest_disconnectsTheLiveConnectionsOfThatClient() {
        String alice = t.token(revocable, "alice", null, Duration.ofMinutes(30));
        String bob = t.token(revocable, "bob", null, Duration.ofMinutes(30));
        TestNode.Client a = t.connect(Map.of("access_token", alice));
        TestNode.Client b = t.connect(Map.of("access_token", bob));
        assertThat(a.connected().action).isEqualTo(Action.CONNECTED);
        t.clock.advance(Duration.ofMillis(1));
        assertThat(t.post("/keys/" + revocable.keyName() + "/revokeTokens", "{\"targets\":[\"clientId:alice\"]}")
                        .basic(revocable)
                        .send()
                        .status())
                .isEqualTo(200);
        t.loop.runPending();
        assertThat(a.transport.sent())
                .extracting(pm -> pm.error == null ? 0 : pm.error.code())
                .contains(40141);
        assertThat(b.transport.isOpen()).isTrue();
        assertThat(b.transport.sent()).allMatch(pm -> pm.error == null);
    }

    @Test
    void disconnectAll_tellsEveryClientTheServerIsShuttingDown() {
        TestNode.Client a = t.connect(Map.of("key", key.keyString()));
        TestNode.Client b = t.connect(Map.of("key", second.keyString()));
        t.node.disconnectAll();
        t.loop.runPending();
        for (TestNode.Client c : List.of(a, b)) {
            assertThat(c.of(Action.DISCONNECTED))
                    .singleElement()
                    .satisfies(pm -> assertThat(pm.error.code()).isEqualTo(80030));
            assertThat(c.transport.isOpen()).isFalse();
            c.handler.onClosed("server close");
        }
        t.loop.runPending();
        assertThat(t.node.connectedCount()).isZero();
        assertThat(t.node.connectionCount())
                .as("both may resume elsewhere or here")
                .isEqualTo(2);
    }

    /** A loop on its own thread, as Netty's event loops are. */
    private static final class ThreadLoop implements Loop, AutoCloseable {
        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
        private volatile Thread thread;

        ThreadLoop() throws Exception {
            executor.submit(() -> thread = Thread.currentThread()).get();
        }

        @Override
        public boolean inLoop() {
            return Thread.currentThread() == thread;
        }

        @Override
        public void execute(Runnable command) {
            executor.execute(command);
        }

        @Override
        public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
            var f = executor.schedule(task, delay, unit);
            return () -> f.cancel(false);
        }

        /** Waits until every task queued before this call has run. */
        void settle() throws Exception {
            executor.submit(() -> {}).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() {
            executor.shutdownNow();
        }
    }

    /** A transport that, like a socket, tells its handler on its loop when it has been closed. */
    private static final class SocketLikeTransport implements io.herald.core.transport.Transport {
        final RecordingTransport recorded = new RecordingTransport(Format.JSON);
        private final Loop loop;
        volatile io.herald.core.session.ConnectionHandler handler;

        SocketLikeTransport(Loop loop) {
            this.loop = loop;
        }

        @Override
        public Format format() {
            return Format.JSON;
        }

        @Override
        public void send(byte[] frame) {
            recorded.send(frame);
        }

        @Override
        public void close() {
            if (recorded.isOpen()) {
                recorded.close();
                loop.execute(() -> handler.onClosed("closed"));
            }
        }

        @Override
        public boolean isOpen() {
            return recorded.isOpen();
        }

        @Override
        public String remoteAddress() {
            return "test";
        }
    }

    @Test
    void drain_answersWhatWasReceived_thenDisconnectsEveryone() throws Exception {
        try (ThreadLoop loop = new ThreadLoop()) {
            SocketLikeTransport socket = new SocketLikeTransport(loop);
            RecordingTransport transport = socket.recorded;
            var handler = t.node.connect(socket, loop, Map.of("key", key.keyString(), "format", "json"));
            socket.handler = handler;
            loop.settle();
            ProtocolMessage publish = ProtocolMessage.of(Action.MESSAGE, "room");
            publish.msgSerial = 0L;
            publish.messages = new java.util.ArrayList<>(List.of(new io.herald.protocol.Message("n", "last")));
            loop.execute(() -> handler.onMessage(publish));
            t.node.drain(Duration.ofSeconds(10));
            loop.settle();
            assertThat(t.node.connectedCount()).isZero();
            List<Integer> actions =
                    transport.sent().stream().map(pm -> pm.action).toList();
            assertThat(actions).containsSubsequence(Action.CONNECTED, Action.ACK, Action.DISCONNECTED);
            assertThat(transport.sent().get(transport.sent().size() - 1).error.code())
                    .isEqualTo(80030);
        }
        assertThat(t.get("/channels/room/messages")
                        .basic(key)
                        .send()
                        .json()
                        .get(0)
                        .get("data")
                        .asText())
                .isEqualTo("last");
    }

    @Test
    void drain_withNoConnections_returnsAtOnce() {
        long started = System.nanoTime();
        t.node.drain(Duration.ofSeconds(30));
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
    }
}

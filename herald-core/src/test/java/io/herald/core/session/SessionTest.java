package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.TokenClaims;
import io.herald.core.HeraldNode;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.config.Timings;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.testing.ManualLoop;
import io.herald.core.testing.MutableClock;
import io.herald.core.testing.RecordingTransport;
import io.herald.protocol.Action;
import io.herald.protocol.AuthDetails;
import io.herald.protocol.Flags;
import io.herald.protocol.Format;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Sessions driven directly, with a manual loop and a fake clock: timers (heartbeats, AUTH before expiry, expiry,
 * presence leave, state TTL) fire exactly when the clock says, with no sleeps.
 */
class SessionTest {
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final ManualLoop loop = new ManualLoop(clock);
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey limited = ApiKey.generate("app");
    private HeraldNode node;

    @BeforeEach
    void start() {
        AppConfig app = new AppConfig(
                "app",
                List.of(
                        KeyConfig.fullAccess(key),
                        new KeyConfig(limited, Capability.parse("{\"chat:*\":[\"subscribe\"]}"), false)),
                List.of(new NamespaceConfig("persisted", true, false, false)),
                List.of());
        CoreConfig cfg = new CoreConfig("test-node", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of(app));
        node = new HeraldNode(cfg, new MemoryEngine(new EngineContext(cfg, clock, "n1", Map.of())), clock, null);
        node.start();
    }

    @AfterEach
    void stop() {
        node.close();
    }

    private String token(String clientId, Duration ttl) {
        long now = clock.millis();
        return HeraldTokens.issue(
                key,
                new TokenClaims(
                        key.keyName(),
                        HeraldTokens.newTokenId(),
                        clientId,
                        Capability.ALL.canonical(),
                        now,
                        now + ttl.toMillis(),
                        null));
    }

    private final class Client {
        final RecordingTransport transport;
        final ConnectionHandler handler;
        long msgSerial;

        Client(Format format, Map<String, String> query) {
            transport = new RecordingTransport(format);
            Map<String, String> q = new HashMap<>(query);
            q.put("format", format.name().toLowerCase());
            handler = node.connect(transport, loop, q);
            loop.runPending();
        }

        void send(ProtocolMessage pm) {
            handler.onMessage(pm);
            loop.runPending();
        }

        ProtocolMessage publish(String channel, String name, String data) {
            ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, channel);
            pm.msgSerial = msgSerial++;
            pm.messages = new ArrayList<>(List.of(new Message(name, data)));
            send(pm);
            return pm;
        }

        void attach(String channel) {
            send(ProtocolMessage.of(Action.ATTACH, channel));
        }

        List<ProtocolMessage> of(int action) {
            return transport.sent().stream().filter(p -> p.action == action).toList();
        }
    }

    private Client connectWithKey(Format f) {
        return new Client(f, Map.of("key", key.keyString()));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void connect_withKey_sendsConnectedWithFullDetails(Format f) {
        Client c = new Client(f, Map.of("key", key.keyString(), "clientId", "alice"));
        ProtocolMessage connected = c.transport.sent().get(0);
        assertThat(connected.action).isEqualTo(Action.CONNECTED);
        assertThat(connected.connectionId).isNotBlank().doesNotContain(":");
        assertThat(connected.connectionDetails.connectionKey).startsWith(connected.connectionId + "!");
        assertThat(connected.connectionDetails.clientId).isEqualTo("alice");
        assertThat(connected.connectionDetails.maxMessageSize).isEqualTo(65536L);
        assertThat(connected.connectionDetails.connectionStateTtl).isEqualTo(120_000L);
        assertThat(connected.connectionDetails.maxIdleInterval).isEqualTo(15_000L);
        assertThat(connected.connectionDetails.serverId).isEqualTo("test-node");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void connect_badKey_answersErrorAndCloses(Format f) {
        Client c = new Client(f, Map.of("key", "app.nokey:" + "x".repeat(43)));
        assertThat(c.transport.sent()).singleElement().satisfies(pm -> {
            assertThat(pm.action).isEqualTo(Action.ERROR);
            assertThat(pm.error.code()).isEqualTo(40101);
        });
        assertThat(c.transport.isOpen()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void idle_connection_getsHeartbeatsWithinMaxIdleInterval(Format f) {
        Client c = connectWithKey(f);
        c.transport.drain();
        loop.advance(Duration.ofSeconds(60));
        List<ProtocolMessage> beats = c.transport.drain();
        assertThat(beats).isNotEmpty().allMatch(p -> p.action == Action.HEARTBEAT);
        assertThat(beats.size()).isGreaterThanOrEqualTo(4);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void token_longLived_getsAuthThirtySecondsBeforeExpiryAndRenewsInBand(Format f) {
        Client c = new Client(f, Map.of("access_token", token("alice", Duration.ofSeconds(60))));
        String id = c.transport.sent().get(0).connectionId;
        loop.advance(Duration.ofSeconds(29));
        assertThat(c.of(Action.AUTH)).isEmpty();
        loop.advance(Duration.ofSeconds(2));
        assertThat(c.of(Action.AUTH)).hasSize(1);
        c.transport.drain();
        ProtocolMessage auth = new ProtocolMessage(Action.AUTH);
        auth.auth = new AuthDetails(token("alice", Duration.ofSeconds(60)));
        c.send(auth);
        assertThat(c.of(Action.CONNECTED))
                .singleElement()
                .satisfies(pm -> assertThat(pm.connectionId).isEqualTo(id));
        loop.advance(Duration.ofSeconds(45));
        assertThat(c.of(Action.DISCONNECTED)).isEmpty();
        assertThat(c.transport.isOpen()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void token_notRenewed_disconnectsWith40142AndResumesWithNewToken(Format f) {
        Client c = new Client(f, Map.of("access_token", token("alice", Duration.ofSeconds(20))));
        ProtocolMessage connected = c.transport.sent().get(0);
        loop.advance(Duration.ofSeconds(21));
        assertThat(c.of(Action.DISCONNECTED))
                .singleElement()
                .satisfies(pm -> assertThat(pm.error.code()).isEqualTo(40142));
        assertThat(c.transport.isOpen()).isFalse();
        Client again = new Client(
                f,
                Map.of(
                        "access_token",
                        token("alice", Duration.ofSeconds(20)),
                        "resume",
                        connected.connectionDetails.connectionKey));
        ProtocolMessage resumed = again.transport.sent().get(0);
        assertThat(resumed.action).isEqualTo(Action.CONNECTED);
        assertThat(resumed.connectionId).isEqualTo(connected.connectionId);
        assertThat(resumed.error).isNull();
        assertThat(resumed.connectionDetails.connectionKey).isNotEqualTo(connected.connectionDetails.connectionKey);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void reauth_withOtherClientId_failsConnectionWith40102(Format f) {
        Client c = new Client(f, Map.of("access_token", token("alice", Duration.ofMinutes(10))));
        ProtocolMessage auth = new ProtocolMessage(Action.AUTH);
        auth.auth = new AuthDetails(token("mallory", Duration.ofMinutes(10)));
        c.send(auth);
        assertThat(c.of(Action.ERROR))
                .singleElement()
                .satisfies(pm -> assertThat(pm.error.code()).isEqualTo(40102));
        assertThat(c.transport.isOpen()).isFalse();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void publish_acksInMsgSerialOrder_andResentSerialIsNotPublishedTwice(Format f) {
        Client a = connectWithKey(f);
        Client b = connectWithKey(f);
        b.attach("chat:one");
        a.publish("chat:one", "n", "first");
        a.publish("chat:one", "n", "second");
        assertThat(a.of(Action.ACK)).extracting(p -> p.msgSerial).containsExactly(0L, 1L);
        ProtocolMessage dup = ProtocolMessage.of(Action.MESSAGE, "chat:one");
        dup.msgSerial = 1L;
        dup.messages = new ArrayList<>(List.of(new Message("n", "second")));
        a.send(dup);
        assertThat(a.of(Action.ACK)).extracting(p -> p.msgSerial).containsExactly(0L, 1L, 1L);
        assertThat(b.of(Action.MESSAGE)).hasSize(2);
        assertThat(b.of(Action.MESSAGE)).extracting(p -> p.messages.get(0).data).containsExactly("first", "second");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void attach_outsideCapability_getsChannelError40160AndConnectionStays(Format f) {
        Client c = new Client(f, Map.of("key", limited.keyString()));
        c.attach("secret");
        assertThat(c.of(Action.ERROR)).singleElement().satisfies(pm -> {
            assertThat(pm.channel).isEqualTo("secret");
            assertThat(pm.error.code()).isEqualTo(40160);
        });
        c.attach("chat:room");
        assertThat(c.of(Action.ATTACHED))
                .singleElement()
                .satisfies(pm -> assertThat(pm.flags & Flags.MODE_ALL)
                        .isEqualTo(Flags.MODE_SUBSCRIBE | Flags.MODE_PRESENCE_SUBSCRIBE));
        c.publish("chat:room", "n", "x");
        assertThat(c.of(Action.NACK))
                .singleElement()
                .satisfies(pm -> assertThat(pm.error.code()).isEqualTo(40160));
        assertThat(c.transport.isOpen()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void droppedTransport_membersLeaveAfter15sUnlessResumed(Format f) {
        Client member = new Client(f, Map.of("key", key.keyString(), "clientId", "alice"));
        Client watcher = connectWithKey(f);
        member.attach("room");
        watcher.attach("room");
        ProtocolMessage enter = ProtocolMessage.of(Action.PRESENCE, "room");
        enter.msgSerial = member.msgSerial++;
        PresenceMessage p = new PresenceMessage();
        p.action = PresenceMessage.ENTER;
        p.data = "hello";
        enter.presence = new ArrayList<>(List.of(p));
        member.send(enter);
        assertThat(watcher.of(Action.PRESENCE)).hasSize(1);
        member.handler.onClosed("network");
        loop.advance(Duration.ofSeconds(14));
        assertThat(watcher.of(Action.PRESENCE)).hasSize(1);
        loop.advance(Duration.ofSeconds(2));
        assertThat(watcher.of(Action.PRESENCE)).hasSize(2);
        assertThat(watcher.of(Action.PRESENCE).get(1).presence.get(0).action).isEqualTo(PresenceMessage.LEAVE);
        assertThat(node.connectionCount()).isEqualTo(2);
        loop.advance(Duration.ofSeconds(120));
        assertThat(node.connectionCount()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void resume_reattachWithChannelSerial_replaysMissedMessagesWithResumedFlag(Format f) {
        Client sub = connectWithKey(f);
        Client pub = connectWithKey(f);
        sub.attach("persisted:r");
        pub.publish("persisted:r", "n", "1");
        ProtocolMessage last = sub.of(Action.MESSAGE).get(0);
        String key = sub.transport.sent().get(0).connectionDetails.connectionKey;
        sub.handler.onClosed("network");
        pub.publish("persisted:r", "n", "2");
        pub.publish("persisted:r", "n", "3");
        Client back = new Client(f, Map.of("key", this.key.keyString(), "resume", key));
        ProtocolMessage attach = ProtocolMessage.of(Action.ATTACH, "persisted:r");
        attach.channelSerial = last.channelSerial;
        back.send(attach);
        assertThat(back.of(Action.ATTACHED))
                .singleElement()
                .satisfies(pm -> assertThat(pm.hasFlag(Flags.RESUMED)).isTrue());
        assertThat(back.of(Action.MESSAGE))
                .extracting(pm -> pm.messages.get(0).data)
                .containsExactly("2", "3");
        pub.publish("persisted:r", "n", "4");
        assertThat(back.of(Action.MESSAGE))
                .extracting(pm -> pm.messages.get(0).data)
                .containsExactly("2", "3", "4");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void attach_repeatedOnAnAttachedChannel_answersResumed_andLosesNothing(Format f) {
        Client sub = connectWithKey(f);
        Client pub = connectWithKey(f);
        sub.attach("room");
        pub.publish("room", "n", "1");
        sub.attach("room");
        pub.publish("room", "n", "2");
        assertThat(sub.of(Action.ATTACHED)).hasSize(2);
        assertThat(sub.of(Action.ATTACHED).get(0).hasFlag(Flags.RESUMED))
                .as("first attach")
                .isFalse();
        assertThat(sub.of(Action.ATTACHED).get(1).hasFlag(Flags.RESUMED))
                .as("continuity kept")
                .isTrue();
        assertThat(sub.of(Action.MESSAGE))
                .extracting(pm -> pm.messages.get(0).data)
                .containsExactly("1", "2");
    }
}

package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelEvent;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ChannelStateListener.ChannelStateChange;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener.ConnectionStateChange;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.rest.Auth;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.Message;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@code herald.faults()} against ably-java 1.5.0: each fault makes the SDK react as it does on Ably (states, error
 * codes, resumes, token renewal), and a fault the control API refuses is a {@link FaultException}.
 */
@Herald(keys = {@Herald.Key(name = "full"), @Herald.Key(name = "rev", revocableTokens = true)})
class FaultsTest {
    private static final long WAIT = 20;

    private static boolean is(ConnectionStateChange c, ConnectionState state) {
        return c.current == state && c.event != io.ably.lib.realtime.ConnectionEvent.update;
    }

    @Test
    void dropConnection_clientResumesWithTheSameConnectionId(HeraldInstance herald) throws Exception {
        try (AblyRealtime alice = new AblyRealtime(herald.ably().clientOptions("alice"))) {
            Sync.awaitState(alice, ConnectionState.connected);
            String id = alice.connection.id;
            Events<ConnectionStateChange> changes = Events.of(alice);

            InjectedFault drop = herald.faults().dropConnection("alice");

            assertThat(drop.kind()).isEqualTo("connection.drop");
            assertThat(drop.applied()).as("alice's connection was hit").isEqualTo(1);
            ConnectionStateChange lost =
                    changes.await(c -> is(c, ConnectionState.disconnected), WAIT, "disconnected after the drop");
            changes.awaitAfter(lost, c -> is(c, ConnectionState.connected), WAIT, "connected again");
            assertThat(alice.connection.id).as("resumed").isEqualTo(id);
        }
    }

    @Test
    void failResume_clientGetsANewConnectionIdWith80008(HeraldInstance herald) throws Exception {
        try (AblyRealtime alice = new AblyRealtime(herald.ably().clientOptions("alice"))) {
            Sync.awaitState(alice, ConnectionState.connected);
            String id = alice.connection.id;
            Events<ConnectionStateChange> changes = Events.of(alice);

            InjectedFault resume = herald.faults().failResume("alice");
            herald.faults().dropConnection("alice");

            ConnectionStateChange lost = changes.await(c -> is(c, ConnectionState.disconnected), WAIT, "disconnected");
            ConnectionStateChange back =
                    changes.awaitAfter(lost, c -> is(c, ConnectionState.connected), WAIT, "connected again");
            assertThat(alice.connection.id).as("a new connection").isNotEqualTo(id);
            assertThat(back.reason).as("%s", back).isNotNull();
            assertThat(back.reason.code).isEqualTo(80008);
            assertThat(resume.remaining()).hasValue(1);
            assertThat(herald.faults().list()).as("used up").noneMatch(f -> f.id().equals(resume.id()));
        }
    }

    @Test
    void expireToken_clientRenewsThroughItsAuthCallbackAndResumes(HeraldInstance herald) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ClientOptions options = herald.ably().clientOptions("alice");
        Auth.TokenCallback tokens = options.authCallback;
        options.authCallback = params -> {
            calls.incrementAndGet();
            return tokens.getTokenRequest(params);
        };
        try (AblyRealtime alice = new AblyRealtime(options)) {
            Sync.awaitState(alice, ConnectionState.connected);
            String id = alice.connection.id;
            String token = alice.auth.getTokenDetails().token;
            assertThat(calls.get()).isEqualTo(1);
            Events<ConnectionStateChange> changes = Events.of(alice);

            herald.faults().expireToken("alice");

            ConnectionStateChange lost = changes.await(c -> is(c, ConnectionState.disconnected), WAIT, "disconnected");
            assertThat(lost.reason.code).isEqualTo(40142);
            changes.awaitAfter(lost, c -> is(c, ConnectionState.connected), WAIT, "connected again");
            assertThat(calls.get()).as("authCallback called again").isGreaterThanOrEqualTo(2);
            assertThat(alice.auth.getTokenDetails().token).isNotEqualTo(token);
            assertThat(alice.connection.id).as("resumed").isEqualTo(id);
        }
    }

    @Test
    void disconnect_clientSeesTheCodeAndResumes(HeraldInstance herald) throws Exception {
        try (AblyRealtime alice = new AblyRealtime(herald.ably().clientOptions("alice"))) {
            Sync.awaitState(alice, ConnectionState.connected);
            String id = alice.connection.id;
            Events<ConnectionStateChange> changes = Events.of(alice);

            herald.faults().disconnect("alice", 80003);

            ConnectionStateChange lost = changes.await(c -> is(c, ConnectionState.disconnected), WAIT, "disconnected");
            assertThat(lost.reason.code).isEqualTo(80003);
            changes.awaitAfter(lost, c -> is(c, ConnectionState.connected), WAIT, "connected again");
            assertThat(alice.connection.id).as("resumed").isEqualTo(id);
        }
    }

    @Test
    void failConnection_clientFailsWithTheCode(HeraldInstance herald) throws Exception {
        try (AblyRealtime alice = new AblyRealtime(herald.ably().clientOptions("alice"))) {
            Sync.awaitState(alice, ConnectionState.connected);
            Events<ConnectionStateChange> changes = Events.of(alice);

            herald.faults().failConnection("alice", 40300);

            ConnectionStateChange failed = changes.await(c -> is(c, ConnectionState.failed), WAIT, "failed");
            assertThat(failed.reason.code).isEqualTo(40300);
            assertThat(failed.reason.statusCode).isEqualTo(403);
        }
    }

    @Test
    void revokeToken_clientIsDisconnectedWith40141AndRenews(HeraldInstance herald) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ClientOptions options = herald.ably().clientOptions(herald.key("rev"), "carol");
        Auth.TokenCallback tokens = options.authCallback;
        options.authCallback = params -> {
            calls.incrementAndGet();
            return tokens.getTokenRequest(params);
        };
        try (AblyRealtime carol = new AblyRealtime(options)) {
            Sync.awaitState(carol, ConnectionState.connected);
            Events<ConnectionStateChange> changes = Events.of(carol);

            InjectedFault revoke = herald.faults().revokeToken("carol");

            assertThat(revoke.applied()).as("keys with revocable tokens").isEqualTo(1);
            ConnectionStateChange lost = changes.await(c -> is(c, ConnectionState.disconnected), WAIT, "disconnected");
            assertThat(lost.reason.code).isEqualTo(40141);
            changes.awaitAfter(lost, c -> is(c, ConnectionState.connected), WAIT, "connected again");
            assertThat(calls.get()).as("a new token").isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void detachChannel_sdkReattachesByItself(HeraldInstance herald) throws Exception {
        try (AblyRealtime rt = new AblyRealtime(herald.ably().clientOptions())) {
            Channel channel = rt.channels.get("faults-detach");
            Sync.ok(channel::attach);
            Events<ChannelStateChange> changes = Events.of(channel);

            herald.faults().detachChannel("faults-detach");

            ChannelStateChange attaching = changes.await(c -> c.current == ChannelState.attaching, WAIT, "attaching");
            assertThat(attaching.reason.code).isEqualTo(90000);
            changes.awaitAfter(attaching, c -> c.current == ChannelState.attached, WAIT, "attached again");
        }
    }

    @Test
    void suspendChannel_channelIsSuspendedUntilTheFaultIsCleared(HeraldInstance herald) throws Exception {
        ClientOptions options = herald.ably().clientOptions();
        options.channelRetryTimeout = 300;
        try (AblyRealtime rt = new AblyRealtime(options)) {
            Channel channel = rt.channels.get("faults-suspend");
            Sync.ok(channel::attach);
            Events<ChannelStateChange> changes = Events.of(channel);

            InjectedFault suspend = herald.faults().suspendChannel("faults-suspend");

            ChannelStateChange suspended = changes.await(c -> c.current == ChannelState.suspended, WAIT, "suspended");
            suspend.clear();
            changes.awaitAfter(suspended, c -> c.current == ChannelState.attached, WAIT, "attached after clear");
        }
    }

    @Test
    void duplicateAndDelayedDeliveries_arriveTwice_andInOrder(HeraldInstance herald) throws Exception {
        try (AblyRealtime rt = new AblyRealtime(herald.ably().clientOptions())) {
            Channel twice = rt.channels.get("faults-twice");
            Channel late = rt.channels.get("faults-late");
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            twice.subscribe(received::add);
            late.subscribe(received::add);
            Sync.ok(twice::attach);
            Sync.ok(late::attach);
            AblyRest rest = new AblyRest(herald.ably().clientOptions());

            herald.faults().duplicateDeliveries("faults-twice");
            rest.channels.get("faults-twice").publish("dup", "1");
            assertThat(received.poll(WAIT, TimeUnit.SECONDS).name).isEqualTo("dup");
            assertThat(received.poll(WAIT, TimeUnit.SECONDS).name).isEqualTo("dup");

            herald.faults().delayDeliveries("faults-late", Duration.ofMillis(300));
            long start = System.nanoTime();
            rest.channels.get("faults-late").publish("a", "1");
            rest.channels.get("faults-late").publish("b", "2");
            assertThat(received.poll(WAIT, TimeUnit.SECONDS).name).isEqualTo("a");
            assertThat(received.poll(WAIT, TimeUnit.SECONDS).name).isEqualTo("b");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
        }
    }

    @Test
    void latencyOnOneConnection_byIdThroughTheBuilder(HeraldInstance herald) throws Exception {
        try (AblyRealtime rt = new AblyRealtime(herald.ably().clientOptions())) {
            Sync.awaitState(rt, ConnectionState.connected);
            InjectedFault slow = herald.faults()
                    .fault("connection.latency")
                    .connectionId(rt.connection.id)
                    .delay(Duration.ofMillis(300))
                    .ttl(Duration.ofSeconds(30))
                    .inject();
            assertThat(slow.appId()).isEqualTo(herald.appId());
            assertThat(slow.toString()).contains(rt.connection.id);
            assertThat(slow.remaining()).isEmpty();

            long start = System.nanoTime();
            Sync.ok(rt.channels.get("faults-slow")::attach);
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("the ATTACHED waited")
                    .isGreaterThanOrEqualTo(Duration.ofMillis(300));
            herald.faults().latency("nobody", Duration.ofMillis(1));
        }
    }

    @Test
    void failChannel_channelFailsWithTheCode_andAttachesAgainAfterClear(HeraldInstance herald) throws Exception {
        try (AblyRealtime rt = new AblyRealtime(herald.ably().clientOptions())) {
            Channel channel = rt.channels.get("faults-fail");
            Sync.ok(channel::attach);
            Events<ChannelStateChange> changes = Events.of(channel);

            InjectedFault fail = herald.faults().failChannel("faults-fail", 90099);

            ChannelStateChange failed = changes.await(c -> c.current == ChannelState.failed, WAIT, "failed");
            assertThat(failed.reason.code).isEqualTo(90099);
            assertThat(fail.clear()).isTrue();
            assertThat(fail.clear()).as("already cleared").isFalse();
            Sync.ok(channel::attach);
            assertThat(channel.state).isEqualTo(ChannelState.attached);
        }
    }

    @Test
    void updateChannel_emitsUpdateWithResumedFalse(HeraldInstance herald) throws Exception {
        try (AblyRealtime rt = new AblyRealtime(herald.ably().clientOptions())) {
            Channel channel = rt.channels.get("faults-update");
            Sync.ok(channel::attach);
            Events<ChannelStateChange> changes = Events.of(channel);

            herald.faults().updateChannel("faults-update");

            ChannelStateChange update = changes.await(c -> c.event == ChannelEvent.update, WAIT, "an update");
            assertThat(update.resumed).isFalse();
            assertThat(update.current).isEqualTo(ChannelState.attached);
            assertThat(update.reason.code).isEqualTo(80020);
        }
    }

    @Test
    void dropDeliveries_lossIsSignalledAsAnUpdate_andLaterMessagesArrive(HeraldInstance herald) throws Exception {
        try (AblyRealtime rt = new AblyRealtime(herald.ably().clientOptions())) {
            Channel channel = rt.channels.get("faults-drop");
            BlockingQueue<Message> received = new LinkedBlockingQueue<>();
            channel.subscribe(received::add);
            Sync.ok(channel::attach);
            Events<ChannelStateChange> changes = Events.of(channel);
            AblyRest rest = new AblyRest(herald.ably().clientOptions());

            InjectedFault drop = herald.faults().dropDeliveries("faults-drop");
            rest.channels.get("faults-drop").publish("lost", "1");

            ChannelStateChange update = changes.await(c -> c.event == ChannelEvent.update, WAIT, "an update");
            assertThat(update.resumed).isFalse();
            drop.clear();
            rest.channels.get("faults-drop").publish("after", "2");
            Message m = received.poll(WAIT, TimeUnit.SECONDS);
            assertThat(m).isNotNull();
            assertThat(m.name).as("the lost message never arrives").isEqualTo("after");
        }
    }

    @Test
    void failTokenRequests_requestTokenFailsWithTheCode(HeraldInstance herald) throws Exception {
        AblyRest rest = new AblyRest(herald.ably().clientOptions());
        InjectedFault f = herald.faults().failTokenRequests(1, 42910);
        assertThat(f.remaining()).hasValue(1);

        assertThatThrownBy(() -> rest.auth.requestToken(null, null)).isInstanceOfSatisfying(AblyException.class, e -> {
            assertThat(e.errorInfo.code).isEqualTo(42910);
            assertThat(e.errorInfo.statusCode).isEqualTo(429);
        });
        assertThat(rest.auth.requestToken(null, null).token).as("used up").isNotEmpty();
    }

    @Test
    void failRest_theRestCallFailsWithTheStatusAndCode(HeraldInstance herald) throws Exception {
        AblyRest rest = new AblyRest(herald.ably().clientOptions());
        rest.channels.get("faults-rest").publish("one", "1");
        herald.faults().failRest("GET", "/channels/*/messages", 1, 403, 40310);
        herald.faults().failRest("POST", "/channels/*/messages", 1, 503, 50310);

        assertThatThrownBy(() -> rest.channels.get("faults-rest").history(null))
                .isInstanceOfSatisfying(AblyException.class, e -> {
                    assertThat(e.errorInfo.statusCode).isEqualTo(403);
                    assertThat(e.errorInfo.code).isEqualTo(40310);
                });
        // ably-java reads no body of a 500..504 answer: its error is the status with code status x 100
        assertThatThrownBy(() -> rest.channels.get("faults-rest").publish("two", "2"))
                .isInstanceOfSatisfying(AblyException.class, e -> {
                    assertThat(e.errorInfo.statusCode).isEqualTo(503);
                    assertThat(e.errorInfo.code).isEqualTo(50300);
                });
        assertThat(rest.channels.get("faults-rest").history(null).items())
                .as("both used up; the failed publish published nothing")
                .extracting(m -> m.name)
                .containsExactly("one");
    }

    @Test
    void refusedFault_isAFaultExceptionWithTheAblyError(HeraldInstance herald) {
        assertThatThrownBy(() -> herald.faults().delayDeliveries("ch", Duration.ofMinutes(5)))
                .isInstanceOfSatisfying(FaultException.class, e -> {
                    assertThat(e.code()).isEqualTo(40003);
                    assertThat(e.statusCode()).isEqualTo(400);
                    assertThat(e.reason()).contains("delayMs");
                    assertThat(e.getMessage())
                            .contains("fault delivery.delay refused")
                            .contains("40003");
                });
        assertThatThrownBy(() -> herald.faults().fault("connection.explode").inject())
                .isInstanceOfSatisfying(
                        FaultException.class, e -> assertThat(e.reason()).contains("Unknown fault kind"));
        assertThatThrownBy(() -> herald.faults("nope")).hasMessageContaining("no app nope");
    }

    @Test
    void listAndClearAll_seeTheAppsFaults(HeraldInstance herald) {
        InjectedFault a = herald.faults().duplicateDeliveries("faults-list");
        InjectedFault b = herald.faults().latency("bob", Duration.ofMillis(250));
        assertThat(herald.faults().list()).extracting(InjectedFault::id).containsExactly(a.id(), b.id());
        assertThat(herald.faults().list().get(1).json()).contains("\"delayMs\":250");
        assertThat(herald.faults().appId()).isEqualTo(herald.appId());
        assertThat(herald.faults().clearAll()).isEqualTo(2);
        assertThat(herald.faults().list()).isEmpty();
    }
}

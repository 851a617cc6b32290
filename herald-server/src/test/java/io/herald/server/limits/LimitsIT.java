package io.herald.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.PresenceMessage;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.TestServer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every configurable limit driven with ably-java: the Ably code and a message that says which limit, and the rest of
 * the server (other connections, other keys) undisturbed.
 */
class LimitsIT {
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start("limits: { maxRestRequestsPerSecond: 5, "
                + "maxTokenRequestsPerSecond: 3, maxInboundRate: 5, inboundBurst: 0, maxChannelsPerConnection: 2, "
                + "maxPresenceMembers: 2, maxMessageSize: 1024, maxFrameSize: 65536 }");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static AblyRealtime connect(String key, String clientId) {
        var o = AblyJava.withKey(server, true, key);
        o.clientId = clientId;
        return AblyJava.connect(o);
    }

    @Test
    void connectionsPerKey_overLimit_refusedWith40111_andOthersStay() {
        List<AblyRealtime> clients = new ArrayList<>();
        TestServer main = server;
        server = TestServer.start("limits: { maxConnectionsPerKey: 3 }");
        try {
            for (int i = 0; i < 3; i++) {
                clients.add(connect(server.limited.keyString(), null));
            }
            var o = AblyJava.withKey(server, true, server.limited.keyString());
            AblyRealtime fourth = AblyJava.realtime(o);
            clients.add(fourth);
            fourth.connect();
            var change = AblyJava.awaitAnyState(fourth, ConnectionState.failed);
            assertThat(change.reason.code).isEqualTo(40111);
            assertThat(change.reason.message)
                    .contains("Connection limit exceeded")
                    .contains(server.limited.keyName());
            assertThat(clients.subList(0, 3)).allMatch(c -> c.connection.state == ConnectionState.connected);
            AblyRealtime otherKey = connect(server.full.keyString(), null);
            clients.add(otherKey);
            clients.get(0).close();
            AblyJava.awaitState(clients.get(0), ConnectionState.closed, AblyJava.WAIT);
            clients.add(connect(server.limited.keyString(), null));
        } finally {
            AblyJava.closeAll(clients.toArray(AblyRealtime[]::new));
            server.close();
            server = main;
        }
    }

    @Test
    void restRequestsPerKey_overLimit_refusedWith42910_otherKeysServed() throws AblyException {
        AblyRest rest = AblyJava.rest(AblyJava.withKey(server, false, server.revocable.keyString()));
        AblyRest other = AblyJava.rest(AblyJava.withKey(server, false, server.full.keyString()));
        int ok = 0;
        ErrorInfo refused = null;
        long start = System.nanoTime();
        for (int i = 0; i < 30 && refused == null; i++) {
            try {
                rest.channels.get("limits-rest").history(null);
                ok++;
            } catch (AblyException e) {
                refused = e.errorInfo;
            }
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start) + 1;
        assertThat(refused).as("a request over 5 per second is refused").isNotNull();
        assertThat(refused.code).isEqualTo(42910);
        assertThat(refused.statusCode).isEqualTo(429);
        assertThat(refused.message).contains("REST requests per second").contains(server.revocable.keyName());
        assertThat(ok).isLessThanOrEqualTo((int) (5 * (seconds + 1)));
        assertThat(other.channels.get("limits-rest").history(null).items()).isNotNull();
    }

    @Test
    void tokenRequestsPerKey_overLimit_refusedWith42910_otherKeysServed() throws AblyException {
        AblyRest rest = AblyJava.rest(AblyJava.withKey(server, false, server.limited.keyString()));
        AblyRest other = AblyJava.rest(AblyJava.withKey(server, false, server.full.keyString()));
        ErrorInfo refused = null;
        for (int i = 0; i < 30 && refused == null; i++) {
            try {
                rest.auth.requestToken(null, null);
            } catch (AblyException e) {
                refused = e.errorInfo;
            }
        }
        assertThat(refused).isNotNull();
        assertThat(refused.code).isEqualTo(42910);
        assertThat(refused.message).contains("token requests per second").contains(server.limited.keyName());
        assertThat(other.auth.requestToken(null, null).token).isNotBlank();
    }

    @Test
    void inboundRate_overLimit_nackedWith42911_connectionStays() throws Exception {
        AblyRealtime rt = connect(server.full.keyString(), null);
        AblyRealtime watcher = connect(server.full.keyString(), null);
        try {
            Channel ch = rt.channels.get("limits-rate");
            AblyJava.attach(ch);
            List<CompletableFuture<ErrorInfo>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                CompletableFuture<ErrorInfo> f = new CompletableFuture<>();
                ch.publish("n", "m" + i, new io.ably.lib.realtime.CompletionListener() {
                    @Override
                    public void onSuccess() {
                        f.complete(null);
                    }

                    @Override
                    public void onError(ErrorInfo reason) {
                        f.complete(reason);
                    }
                });
                results.add(f);
            }
            List<ErrorInfo> nacks = new ArrayList<>();
            for (CompletableFuture<ErrorInfo> f : results) {
                ErrorInfo e = AblyJava.get(f, AblyJava.WAIT, "publish result");
                if (e != null) {
                    nacks.add(e);
                }
            }
            assertThat(nacks).isNotEmpty().allSatisfy(e -> {
                assertThat(e.code).isEqualTo(42911);
                assertThat(e.message).contains("Rate limit exceeded").contains("5 messages per second");
            });
            assertThat(rt.connection.state).isEqualTo(ConnectionState.connected);
            AblyJava.attach(watcher.channels.get("limits-rate-other"));
            AblyJava.publish(watcher.channels.get("limits-rate-other"), "n", "fine");
        } finally {
            AblyJava.closeAll(rt, watcher);
        }
    }

    @Test
    void channelsPerConnection_overLimit_attachFailsWith42913() {
        AblyRealtime rt = connect(server.full.keyString(), null);
        try {
            AblyJava.attach(rt.channels.get("limits-ch-1"));
            AblyJava.attach(rt.channels.get("limits-ch-2"));
            ErrorInfo e = AblyJava.callForError("third attach", rt.channels.get("limits-ch-3")::attach);
            assertThat(e).isNotNull();
            assertThat(e.code).isEqualTo(42913);
            assertThat(e.message).contains("channels per connection");
            AblyJava.publish(rt.channels.get("limits-ch-1"), "n", "still works");
            assertThat(rt.connection.state).isEqualTo(ConnectionState.connected);
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    @Test
    void presenceMembers_overLimit_enterNackedWith91003() throws AblyException {
        List<AblyRealtime> clients = new ArrayList<>();
        try {
            List<ErrorInfo> errors = new CopyOnWriteArrayList<>();
            for (String who : List.of("pm-a", "pm-b", "pm-c")) {
                AblyRealtime c = connect(server.full.keyString(), who);
                clients.add(c);
                Channel ch = c.channels.get("limits-presence");
                AblyJava.attach(ch);
                ErrorInfo e = AblyJava.callForError("enter " + who, l -> ch.presence.enter(null, l));
                if (e != null) {
                    errors.add(e);
                }
            }
            assertThat(errors).singleElement().satisfies(e -> {
                assertThat(e.code).isEqualTo(91003);
                assertThat(e.message).contains("presence members").contains("pm-c");
            });
            PresenceMessage[] members =
                    clients.get(0).channels.get("limits-presence").presence.get(true);
            assertThat(members).extracting(m -> m.clientId).containsExactlyInAnyOrder("pm-a", "pm-b");
        } finally {
            AblyJava.closeAll(clients.toArray(AblyRealtime[]::new));
        }
    }

    @Test
    void messageSize_overLimit_refusedWith40009_onRealtimeAndRest() {
        AblyRealtime rt = connect(server.full.keyString(), null);
        try {
            Channel ch = rt.channels.get("limits-size");
            AblyJava.attach(ch);
            ErrorInfo e = AblyJava.callForError("big publish", l -> ch.publish("n", "x".repeat(2000), l));
            assertThat(e).isNotNull();
            assertThat(e.code).isEqualTo(40009);
            AblyJava.publish(ch, "n", "small");
            AblyRest rest = AblyJava.rest(AblyJava.withKey(server, true, server.full.keyString()));
            ErrorInfo r = AblyJava.errorOf(
                    "big REST publish", () -> rest.channels.get("limits-size").publish("n", "y".repeat(2000)));
            assertThat(r.code).isEqualTo(40009);
            assertThat(r.message).contains("1024");
        } finally {
            AblyJava.closeAll(rt);
        }
    }
}

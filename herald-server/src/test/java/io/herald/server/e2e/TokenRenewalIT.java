package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ConnectionEvent;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.AuthUrlServer;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.SequencePublisher;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Token renewal on a live connection (docs/protocol.md §4.11), with the server's default timings:
 * <ul>
 *   <li>a 40 s token gets AUTH 30 s before expiry (~10 s in); the client fetches a new token from its authUrl and
 *   sends it in-band; the connection stays CONNECTED with the same connectionId, and a message published while the
 *   client is renewing arrives exactly once;</li>
 *   <li>a 20 s token (too short for AUTH) gets DISCONNECTED 40142 at expiry; the client renews and resumes with the
 *   same connectionId and loses nothing of a sequence published throughout.</li>
 * </ul>
 * These wait on real time, so the class runs its cases concurrently (and beside the other classes).
 */
@Execution(ExecutionMode.CONCURRENT)
class TokenRenewalIT {
    private static final Duration AUTH_TTL = Duration.ofSeconds(40);
    private static final Duration EXPIRY_TTL = Duration.ofSeconds(20);
    private static final String CAPABILITY = "{\"renewal:*\":[\"presence\",\"publish\",\"subscribe\"]}";

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static void publish(String channel, String data) {
        try {
            AblyRest rest = AblyJava.rest(AblyJava.withKey(server, true, server.full.keyString()));
            rest.channels.get(channel).publish("seq", data);
        } catch (AblyException e) {
            throw new AssertionError("publish " + data + " failed: " + e.errorInfo, e);
        }
    }

    /**
     * The second authUrl call came ~10 s after the first (AUTH at expiry - 30 s): not before 9 s, and well before the
     * token expires (the upper bound allows for a loaded CI machine).
     */
    private static void assertRenewedAboutTenSecondsIn(AuthUrlServer app) {
        List<Long> calls = app.calls();
        List<Long> offsets = calls.stream()
                .map(t -> TimeUnit.NANOSECONDS.toMillis(t - calls.get(0)))
                .toList();
        assertThat(calls).as("authUrl calls (ms after the first: %s)", offsets).hasSizeGreaterThanOrEqualTo(2);
        assertThat(offsets.get(1))
                .as("ms between the first and the second authUrl call (all: %s)", offsets)
                .isBetween(9_000L, 20_000L);
    }

    // ---- AUTH before expiry ----

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_token40s_authRenewalKeepsConnectionAndDeliversOnce(WireFormat f) throws Exception {
        String channelName = "renewal:auth-java-" + f;
        try (AuthUrlServer app = new AuthUrlServer(server.full, "renewer", CAPABILITY, AUTH_TTL)) {
            app.beforeAnswer(n -> {
                if (n == 2) {
                    publish(channelName, "during");
                }
            });
            ClientOptions o = AblyJava.options(server, f.binary());
            o.authUrl = app.url();
            AblyRealtime rt = AblyJava.connect(o);
            try {
                String connectionId = rt.connection.id;
                List<ConnectionStateListener.ConnectionStateChange> changes = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> update = new CompletableFuture<>();
                rt.connection.on(change -> {
                    changes.add(change);
                    if (change.event == ConnectionEvent.update) {
                        update.complete(null);
                    }
                });
                Channel ch = rt.channels.get(channelName);
                List<String> got = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> after = new CompletableFuture<>();
                ch.subscribe(m -> {
                    got.add(String.valueOf(m.data));
                    if ("after".equals(m.data)) {
                        after.complete(null);
                    }
                });
                AblyJava.attach(ch);
                publish(channelName, "before");
                AblyJava.get(update, Duration.ofSeconds(25), "the connection UPDATE after in-band AUTH");
                publish(channelName, "after");
                AblyJava.get(after, Duration.ofSeconds(10), "the 'after' message");

                assertThat(got).as("each message exactly once, in order").containsExactly("before", "during", "after");
                assertThat(rt.connection.id).isEqualTo(connectionId);
                assertThat(rt.connection.state).isEqualTo(ConnectionState.connected);
                assertThat(changes.stream().map(c -> c.current))
                        .as("no state change but UPDATE: %s", changes)
                        .containsOnly(ConnectionState.connected);
                assertRenewedAboutTenSecondsIn(app);
            } finally {
                AblyJava.closeAll(rt);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_token40s_authRenewalKeepsConnectionAndDeliversOnce(WireFormat f) {
        String channelName = "renewal:auth-js-" + f;
        try (AuthUrlServer app = new AuthUrlServer(server.full, "renewer", CAPABILITY, AUTH_TTL)) {
            app.beforeAnswer(n -> {
                if (n == 2) {
                    publish(channelName, "during");
                }
            });
            JsonNode r = NodeScript.run(
                    "renewal.js",
                    Map.of(
                            "port",
                            server.port(),
                            "binary",
                            f.binary(),
                            "authUrl",
                            app.url(),
                            "key",
                            server.full.keyString(),
                            "channel",
                            channelName),
                    Duration.ofSeconds(70));
            List<String> names = new ArrayList<>();
            r.path("names").forEach(n -> names.add(n.asText()));
            assertThat(names)
                    .as("each message exactly once, in order: %s", r)
                    .containsExactly("before", "during", "after");
            assertThat(r.path("idAfter").asText())
                    .as("%s", r)
                    .isEqualTo(r.path("idBefore").asText());
            assertThat(r.path("tokenChanged").asBoolean()).as("%s", r).isTrue();
            assertThat(r.path("state").asText()).isEqualTo("connected");
            for (JsonNode c : r.path("connectionChanges")) {
                if (!c.path("previous").asText().equals("initialized")
                        && !c.path("previous").asText().equals("connecting")) {
                    assertThat(c.path("current").asText())
                            .as("only UPDATEs once connected: %s", r)
                            .isEqualTo("connected");
                }
            }
            assertRenewedAboutTenSecondsIn(app);
        }
    }

    // ---- DISCONNECTED 40142 at expiry, then resume ----

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_token20s_expiryResumesSameConnectionWithoutLoss(WireFormat f) throws Exception {
        String channelName = "renewal:expiry-java-" + f;
        try (AuthUrlServer app = new AuthUrlServer(server.full, "short-lived", CAPABILITY, EXPIRY_TTL)) {
            ClientOptions o = AblyJava.options(server, f.binary());
            o.authUrl = app.url();
            AblyRealtime rt = AblyJava.connect(o);
            try {
                String connectionId = rt.connection.id;
                CompletableFuture<ConnectionStateListener.ConnectionStateChange> disconnected =
                        new CompletableFuture<>();
                CompletableFuture<Void> reconnected = new CompletableFuture<>();
                long[] disconnectedAt = new long[1];
                rt.connection.on(change -> {
                    if (change.current == ConnectionState.disconnected) {
                        disconnectedAt[0] = System.nanoTime();
                        disconnected.complete(change);
                    } else if (change.current == ConnectionState.connected && disconnected.isDone()) {
                        reconnected.complete(null);
                    }
                });
                Channel ch = rt.channels.get(channelName);
                List<String> got = new CopyOnWriteArrayList<>();
                CompletableFuture<Void> end = new CompletableFuture<>();
                ch.subscribe(m -> {
                    got.add(String.valueOf(m.data));
                    if ("end".equals(m.data)) {
                        end.complete(null);
                    }
                });
                AblyJava.attach(ch);
                try (SequencePublisher pub = new SequencePublisher(server, channelName, 50)) {
                    ConnectionStateListener.ConnectionStateChange d =
                            AblyJava.get(disconnected, Duration.ofSeconds(30), "DISCONNECTED at token expiry");
                    // the token was issued after the first authUrl call, so it expired at least 20 s after that call
                    long ms = TimeUnit.NANOSECONDS.toMillis(
                            disconnectedAt[0] - app.calls().get(0));
                    assertThat(d.reason).as("reason").isNotNull();
                    assertThat(d.reason.code).as("%s", d.reason).isEqualTo(40142);
                    assertThat(ms)
                            .as("ms from the first authUrl call to DISCONNECTED: at expiry, not before")
                            .isGreaterThanOrEqualTo(19_900L);
                    AblyJava.get(reconnected, Duration.ofSeconds(15), "CONNECTED again with a new token");
                    int total = pub.finish(20);
                    AblyJava.get(end, Duration.ofSeconds(10), "the end message");
                    assertThat(got).as("every message exactly once, in order").isEqualTo(ResumeIT.expected(total));
                }
                assertThat(rt.connection.id).as("resumed: same connectionId").isEqualTo(connectionId);
                assertThat(app.calls()).as("a new token was fetched").hasSizeGreaterThanOrEqualTo(2);
            } finally {
                AblyJava.closeAll(rt);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_token20s_expiryResumesSameConnectionWithoutLoss(WireFormat f) {
        String channelName = "renewal:expiry-js-" + f;
        try (AuthUrlServer app = new AuthUrlServer(server.full, "short-lived", CAPABILITY, EXPIRY_TTL);
                NodeScript js = NodeScript.start(
                        "resume.js",
                        Map.of(
                                "port",
                                server.port(),
                                "binary",
                                f.binary(),
                                "channel",
                                channelName,
                                "authUrl",
                                app.url(),
                                "progressAt",
                                -1))) {
            String connectionId = js.await("attached", NodeScript.STARTUP)
                    .path("connectionId")
                    .asText();
            JsonNode r;
            int total;
            try (SequencePublisher pub = new SequencePublisher(server, channelName, 50)) {
                JsonNode again = js.await("reconnected", Duration.ofSeconds(40));
                assertThat(again.path("connectionId").asText())
                        .as("resumed: same connectionId")
                        .isEqualTo(connectionId);
                total = pub.finish(20);
                r = js.result(Duration.ofSeconds(30));
            }
            List<String> names = new ArrayList<>();
            r.path("names").forEach(n -> names.add(n.asText()));
            assertThat(names).as("every message exactly once, in order").isEqualTo(ResumeIT.expected(total));
            boolean saw40142 = false;
            for (JsonNode c : r.path("connectionChanges")) {
                if (c.path("current").asText().equals("disconnected")) {
                    assertThat(c.path("reason").path("code").asInt())
                            .as("%s", r.path("connectionChanges"))
                            .isEqualTo(40142);
                    saw40142 = true;
                }
            }
            assertThat(saw40142)
                    .as("DISCONNECTED 40142: %s", r.path("connectionChanges"))
                    .isTrue();
            assertThat(app.calls()).as("a new token was fetched").hasSizeGreaterThanOrEqualTo(2);
        }
    }
}

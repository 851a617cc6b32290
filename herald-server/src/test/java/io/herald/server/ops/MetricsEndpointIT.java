package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.ably.lib.types.Message;
import io.herald.auth.TokenParams;
import io.herald.core.testing.Eventually;
import io.herald.server.metrics.HeraldMetrics;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /metrics} scraped and parsed after real traffic: realtime clients (raw JSON WebSockets and ably-java over
 * msgpack), REST token requests, re-auth and revocation, with each counter and gauge moving as it should.
 */
class MetricsEndpointIT {
    private OpsServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void scrape_default_prometheusTextWithHelpForEveryHeraldFamily() {
        server = OpsServer.start();
        HttpResponse<String> r = server.get("/metrics");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(HeraldMetrics.TEXT_CONTENT_TYPE);
        Prometheus p = Prometheus.parse(r.body());
        assertThat(p.type.keySet())
                .contains(
                        "herald_connections",
                        "herald_channels",
                        "herald_messages_in_total",
                        "herald_messages_out_total",
                        "herald_publish_latency_seconds",
                        "herald_tokens_issued_total",
                        "herald_outbound_queue_drops_total",
                        "herald_reauths_total",
                        "herald_token_revocations_total",
                        "herald_connections_opened_total",
                        "herald_ready",
                        "jvm_memory_used_bytes");
        assertThat(p.type.keySet().stream().filter(n -> n.startsWith("herald_")))
                .allSatisfy(n -> assertThat(p.help.get(n)).as("HELP of %s", n).isNotBlank());
        assertThat(p.type.get("herald_publish_latency_seconds")).isEqualTo("histogram");
        assertThat(p.has("herald_publish_latency_seconds_bucket", "le", "0.005"))
                .isTrue();
        assertThat(p.value("herald_ready")).isEqualTo(1.0);
        assertThat(p.value("herald_api_keys")).isEqualTo(1.0);
    }

    @Test
    void scrape_acceptOpenMetrics_openMetricsEndingWithEof() {
        server = OpsServer.start();
        HttpResponse<String> r = server.get(
                "/metrics", "Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue(HeraldMetrics.OPENMETRICS_CONTENT_TYPE);
        assertThat(r.body()).contains("# TYPE herald_messages_in counter").endsWith("# EOF\n");
    }

    @Test
    void scrape_afterRawRealtimeTraffic_connectionChannelMessageAndLatencyMetricsMove() {
        server = OpsServer.start();
        Prometheus before = server.scrape();
        assertThat(before.value("herald_connections", "state", "connected")).isZero();

        try (RawRealtime a = RawRealtime.connect(server)) {
            Eventually.await("one connected json connection", OpsServer.WAIT, () -> {
                Prometheus p = server.scrape();
                return p.value("herald_connections", "state", "connected") == 1
                        && p.value("herald_connections_opened_total", "format", "json") == 1;
            });
            a.send("{\"action\":10,\"channel\":\"ops:metrics\"}");
            a.awaitAction(RawRealtime.ATTACHED);
            assertThat(server.scrape().value("herald_channels")).isEqualTo(1.0);

            a.send("{\"action\":15,\"channel\":\"ops:metrics\",\"msgSerial\":0,"
                    + "\"messages\":[{\"name\":\"greeting\",\"data\":\"hello\"}]}");
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            while (seen.size() < 2) {
                seen.add(a.await(
                                m -> m.path("action").asInt() == RawRealtime.MESSAGE
                                        || m.path("action").asInt() == RawRealtime.ACK,
                                "the echo and the ACK")
                        .path("action")
                        .asInt());
            }
            Eventually.await(
                    "the publish counted in, out, in the latency histogram and as an engine call",
                    OpsServer.WAIT,
                    () -> {
                        Prometheus p = server.scrape();
                        return p.value("herald_messages_in_total") == 1
                                && p.value("herald_messages_out_total") == 1
                                && p.value("herald_publish_latency_seconds_count") == 1
                                && p.value("herald_publish_latency_seconds_bucket", "le", "+Inf") == 1
                                && p.value("herald_engine_calls_seconds_count", "operation", "publish", "outcome", "ok")
                                        >= 1;
                    });

            a.abort();
            Eventually.await("the dropped connection suspended, not closed", OpsServer.WAIT, () -> {
                Prometheus p = server.scrape();
                return p.value("herald_connections", "state", "connected") == 0
                        && p.value("herald_connections", "state", "suspended") == 1
                        && p.value("herald_connections_suspended_total", "format", "json") == 1
                        && p.value("herald_connections_closed_total", "format", "json") == 0;
            });
        }

        try (RawRealtime b = RawRealtime.connect(server)) {
            b.send("{\"action\":7}");
            b.awaitAction(RawRealtime.CLOSED);
            Eventually.await(
                    "the CLOSEd connection counted as closed",
                    OpsServer.WAIT,
                    () -> server.scrape().value("herald_connections_closed_total", "format", "json") == 1);
        }
    }

    @Test
    void scrape_afterBadRealtimeCredentials_refusalAndAuthFailureByCode() {
        server = OpsServer.start();
        String wrong = server.key.keyName() + ":" + OpsServer.secret();

        try (RawRealtime r = RawRealtime.open(
                server, "key=" + URLEncoder.encode(wrong, StandardCharsets.UTF_8) + "&format=json&v=6")) {
            assertThat(r.awaitAction(RawRealtime.ERROR)
                            .path("error")
                            .path("code")
                            .asInt())
                    .isEqualTo(40101);
        }

        Eventually.await("40101 counted as a refused connection and an auth failure", OpsServer.WAIT, () -> {
            Prometheus p = server.scrape();
            return p.value("herald_connections_refused_total", "code", "40101") == 1
                    && p.value("herald_auth_failures_total", "code", "40101") == 1;
        });
    }

    @Test
    void scrape_afterAblyJavaMsgpackPublish_msgpackConnectionAndDeliveries() throws Exception {
        server = OpsServer.start();
        ClientOptions o = new ClientOptions(server.key.keyString());
        o.restHost = "127.0.0.1";
        o.realtimeHost = "127.0.0.1";
        o.port = server.port();
        o.tls = false;
        o.useBinaryProtocol = true;
        AblyRealtime ably = new AblyRealtime(o);
        try {
            CompletableFuture<Void> connected = new CompletableFuture<>();
            ably.connection.on(change -> {
                if (change.current == ConnectionState.connected) {
                    connected.complete(null);
                }
            });
            if (ably.connection.state == ConnectionState.connected) {
                connected.complete(null);
            }
            connected.get(OpsServer.WAIT.toSeconds(), TimeUnit.SECONDS);
            Channel channel = ably.channels.get("ops:ably-java");
            CompletableFuture<Message> received = new CompletableFuture<>();
            channel.subscribe(received::complete);
            CompletableFuture<Void> acked = new CompletableFuture<>();
            channel.publish("greeting", "hello", listener(acked));
            acked.get(OpsServer.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(received.get(OpsServer.WAIT.toSeconds(), TimeUnit.SECONDS).data)
                    .isEqualTo("hello");

            Eventually.await(
                    "a msgpack connection on one channel, one message in and one delivery", OpsServer.WAIT, () -> {
                        Prometheus p = server.scrape();
                        return p.value("herald_connections_opened_total", "format", "msgpack") == 1
                                && p.value("herald_connections", "state", "connected") == 1
                                && p.value("herald_channels") == 1
                                && p.value("herald_messages_in_total") == 1
                                && p.value("herald_messages_out_total") == 1;
                    });
        } finally {
            ably.close();
        }
        Eventually.await(
                "ably-java's CLOSE counted",
                OpsServer.WAIT,
                () -> server.scrape().value("herald_connections_closed_total", "format", "msgpack") == 1);
    }

    @Test
    void scrape_afterTokenRequests_issuedAndRefusedByCodeAndRestTimings() {
        server = OpsServer.start();
        TokenParams alice = new TokenParams();
        alice.clientId = "alice";
        String good = server.tokenRequest(alice);
        String badMac = good.replaceFirst("\"mac\":\"[^\"]+\"", "\"mac\":\"AAAA\"");

        assertThat(server.requestToken(good).statusCode()).isEqualTo(200);
        assertThat(server.requestToken(good).statusCode()).as("replayed nonce").isEqualTo(401);
        assertThat(server.requestToken(badMac).statusCode()).isEqualTo(401);

        Prometheus p = server.scrape();
        assertThat(p.value("herald_tokens_issued_total")).isEqualTo(1.0);
        assertThat(p.value("herald_token_requests_refused_total", "code", "40105"))
                .isEqualTo(1.0);
        assertThat(p.value("herald_token_requests_refused_total", "code", "40101"))
                .isEqualTo(1.0);
        assertThat(p.value(
                        "herald_rest_requests_seconds_count",
                        "method",
                        "POST",
                        "route",
                        "/keys/{keyName}/requestToken",
                        "status",
                        "200"))
                .isEqualTo(1.0);
        assertThat(p.value(
                        "herald_rest_requests_seconds_count",
                        "method",
                        "POST",
                        "route",
                        "/keys/{keyName}/requestToken",
                        "status",
                        "401"))
                .isEqualTo(2.0);
    }

    @Test
    void scrape_afterReauthAndRevocation_reauthAndRevocationCounters(@TempDir Path dir) {
        server = OpsServer.startWithKey(dir, null, true);
        TokenParams bob = new TokenParams();
        bob.clientId = "bob";

        try (RawRealtime r = RawRealtime.open(server, "access_token=" + server.token(bob) + "&format=json&v=6")) {
            r.awaitAction(RawRealtime.CONNECTED);
            r.send("{\"action\":17,\"auth\":{\"accessToken\":\"" + server.token(bob) + "\"}}");
            r.awaitAction(RawRealtime.CONNECTED);
            Eventually.await(
                    "the in-band AUTH counted",
                    OpsServer.WAIT,
                    () -> server.scrape().value("herald_reauths_total") == 1);
        }

        HttpResponse<String> revoke = server.postJsonWithKey(
                "/keys/" + server.key.keyName() + "/revokeTokens",
                "{\"targets\":[\"clientId:bob\",\"clientId:carol\"]}");

        assertThat(revoke.statusCode()).as(revoke.body()).isEqualTo(200);
        Prometheus p = server.scrape();
        assertThat(p.value("herald_token_revocations_total")).isEqualTo(1.0);
        assertThat(p.value("herald_token_revocation_targets_total")).isEqualTo(2.0);
    }

    private static CompletionListener listener(CompletableFuture<Void> done) {
        return new CompletionListener() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onError(ErrorInfo reason) {
                done.completeExceptionally(new AssertionError("publish failed: " + reason));
            }
        };
    }
}

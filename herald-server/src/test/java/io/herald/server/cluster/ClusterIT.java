package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.ably.lib.http.HttpUtils;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ConnectionStateListener;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.rest.Auth;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.HttpPaginatedResponse;
import io.ably.lib.types.PresenceMessage;
import io.herald.core.testing.Eventually;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.NodeScript;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three Herald nodes (real processes) on one Redis, driven by the official SDKs: one service across nodes.
 */
class ClusterIT {
    private static Cluster cluster;
    private static HeraldProcess a;
    private static HeraldProcess b;
    private static HeraldProcess c;
    private final List<AblyRealtime> clients = new ArrayList<>();

    @BeforeAll
    static void startCluster() throws Exception {
        cluster = new Cluster("");
        a = cluster.start("node-a");
        b = cluster.start("node-b");
        c = cluster.start("node-c");
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void closeClients() {
        clients.forEach(AblyRealtime::close);
    }

    private AblyRealtime connect(HeraldProcess node, String clientId) throws Exception {
        AblyRealtime r = Clients.realtime(Clients.keyOptions(node.port, Cluster.KEY, clientId));
        clients.add(r);
        return r;
    }

    @Test
    void publishOnAAndC_subscribersOnBAndC_receiveEverythingInOneOrder() throws Exception {
        List<String> atB = Collections.synchronizedList(new ArrayList<>());
        List<String> atC = Collections.synchronizedList(new ArrayList<>());
        Channel subB = Clients.attached(connect(b, "sub-b"), "order");
        Channel subC = Clients.attached(connect(c, "sub-c"), "order");
        subB.subscribe(m -> atB.add((String) m.data));
        subC.subscribe(m -> atC.add((String) m.data));
        Channel pubA = Clients.attached(connect(a, "pub-a"), "order");
        Channel pubC = Clients.attached(connect(c, "pub-c"), "order");
        int each = 100;
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < each; i++) {
            String ma = "a" + i;
            String mc = "c" + i;
            acks.add(Clients.done(l -> pubA.publish("n", ma, l)));
            acks.add(Clients.done(l -> pubC.publish("n", mc, l)));
        }
        Clients.await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));
        Eventually.await(
                "every message on B and C",
                Duration.ofSeconds(20),
                () -> atB.size() >= 2 * each && atC.size() >= 2 * each);
        assertThat(atB).hasSize(2 * each);
        assertThat(atC).containsExactlyElementsOf(atB);
        assertThat(atB.stream().filter(s -> s.startsWith("a")).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, each)
                        .mapToObj(i -> "a" + i)
                        .toList());
        assertThat(atB.stream().filter(s -> s.startsWith("c")).toList())
                .containsExactlyElementsOf(java.util.stream.IntStream.range(0, each)
                        .mapToObj(i -> "c" + i)
                        .toList());
    }

    @Test
    void ablyJs_publishOnA_reachesSubscribersOnBAndC() throws Exception {
        JsonNode r = NodeScript.run(
                "cluster-fanout.js",
                Map.of(
                        "key",
                        Cluster.KEY,
                        "publishPort",
                        a.port,
                        "subscribePorts",
                        List.of(b.port, c.port),
                        "channel",
                        "js-fanout",
                        "count",
                        20),
                Duration.ofSeconds(60));
        List<String> expected =
                java.util.stream.IntStream.range(0, 20).mapToObj(i -> "m" + i).toList();
        for (JsonNode got : r.get("got")) {
            List<String> data = new ArrayList<>();
            got.forEach(d -> data.add(d.asText()));
            assertThat(data).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void presenceEnteredOnA_isSeenFromCAndByALateJoinerOnB() throws Exception {
        BlockingQueue<PresenceMessage> seenOnC = new LinkedBlockingQueue<>();
        Channel watcher = Clients.attached(connect(c, "watcher"), "lobby");
        watcher.presence.subscribe(seenOnC::add);
        Channel alice = Clients.attached(connect(a, "alice"), "lobby");
        Clients.await(Clients.done(l -> alice.presence.enter("hello from a", l)));
        PresenceMessage enter = seenOnC.poll(20, TimeUnit.SECONDS);
        assertThat(enter).isNotNull();
        assertThat(enter.action).isEqualTo(PresenceMessage.Action.enter);
        assertThat(enter.clientId).isEqualTo("alice");
        assertThat(enter.data).isEqualTo("hello from a");
        assertThat(watcher.presence.get(true)).extracting(m -> m.clientId).containsExactly("alice");
        Channel late = Clients.attached(connect(b, "late"), "lobby");
        assertThat(late.presence.get(true)).extracting(m -> m.clientId).containsExactly("alice");
    }

    @Test
    void tokenRequestUsedOnA_isRefusedOnB_40105() throws Exception {
        AblyRest signer = Clients.rest(a.port, Cluster.KEY);
        Auth.TokenRequest tokenRequest = signer.auth.createTokenRequest(null, null);
        io.ably.lib.types.ClientOptions optA = Clients.options(a.port);
        optA.authCallback = params -> tokenRequest;
        io.ably.lib.types.ClientOptions optB = Clients.options(b.port);
        optB.authCallback = params -> tokenRequest;
        AblyRest onA = new AblyRest(optA);
        AblyRest onB = new AblyRest(optB);
        assertThat(onA.auth.requestToken(null, null).token).isNotEmpty();
        assertThatThrownBy(() -> onB.auth.requestToken(null, null))
                .isInstanceOf(AblyException.class)
                .satisfies(e -> assertThat(((AblyException) e).errorInfo.code).isEqualTo(40105));
    }

    @Test
    void revocationOnB_disconnectsTheClientOnA_40141() throws Exception {
        AblyRest signer = Clients.rest(a.port, Cluster.KEY);
        AblyRealtime bob = Clients.realtime(Clients.tokenOptions(a.port, signer, "bob"));
        clients.add(bob);
        Clients.attached(bob, "bobs-room");
        BlockingQueue<ConnectionStateListener.ConnectionStateChange> changes = new LinkedBlockingQueue<>();
        bob.connection.on(changes::add);

        JsonObject body = new JsonObject();
        JsonArray targets = new JsonArray();
        targets.add("clientId:bob");
        body.add("targets", targets);
        HttpPaginatedResponse r = Clients.rest(b.port, Cluster.KEY)
                .request(
                        "POST",
                        "/keys/" + Cluster.KEY_NAME + "/revokeTokens",
                        null,
                        HttpUtils.requestBodyFromGson(body, false),
                        null);
        assertThat(r.statusCode).isEqualTo(200);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        ConnectionStateListener.ConnectionStateChange revoked = null;
        while (revoked == null && System.nanoTime() < deadline) {
            ConnectionStateListener.ConnectionStateChange ch = changes.poll(1, TimeUnit.SECONDS);
            if (ch != null && ch.reason != null && ch.reason.code == 40141) {
                revoked = ch;
            }
        }
        assertThat(revoked)
                .as("a state change with reason 40141 (token revoked)")
                .isNotNull();
    }
}

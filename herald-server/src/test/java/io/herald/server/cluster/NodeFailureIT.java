package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.PresenceMessage;
import io.herald.core.testing.Eventually;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.TcpProxy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Killing a node (SIGKILL) under load: its clients resume on another node through the load balancer with nothing
 * lost, and the members of clients that do not come back leave after the node timeout.
 */
class NodeFailureIT {
    private final List<AblyRealtime> clients = new ArrayList<>();
    private Cluster cluster;
    private TcpProxy balancer;

    @AfterEach
    void stop() {
        clients.forEach(AblyRealtime::close);
        if (balancer != null) {
            balancer.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    private AblyRealtime connect(ClientOptions o) throws Exception {
        AblyRealtime r = Clients.realtime(o);
        clients.add(r);
        return r;
    }

    /** The connection's record (saved by the node holding it, shortly after it connects) names {@code node}. */
    private void awaitRecordOn(String connectionId, String node) throws Exception {
        String nodeId = "\"nodeId\":\"" + node + "\"";
        Eventually.await(
                "the record of " + connectionId + " naming " + node,
                Duration.ofSeconds(10),
                () -> String.valueOf(recordOf(connectionId)).contains(nodeId));
    }

    private String recordOf(String connectionId) {
        try {
            return cluster.redis.command("GET", "herald:conn:" + connectionId);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void nodeKilled_itsClientsResumeOnAnotherNodeWithNothingLost_andAbsentMembersLeave() throws Exception {
        cluster = new Cluster("?nodeTimeout=5s");
        HeraldProcess a = cluster.start("node-a");
        HeraldProcess b = cluster.start("node-b");
        balancer = new TcpProxy(List.of(b.port, a.port));

        BlockingQueue<PresenceMessage> presenceOnA = new LinkedBlockingQueue<>();
        Channel watcher = Clients.attached(connect(Clients.keyOptions(a.port, Cluster.KEY, "watcher")), "feed");
        watcher.presence.subscribe(presenceOnA::add);

        // xavier reaches node B through the balancer; yvonne is pinned to node B and will not come back
        AblyRealtime xavier = connect(Clients.keyOptions(balancer.port(), Cluster.KEY, "xavier"));
        String xavierId = xavier.connection.id;
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        Channel feed = Clients.attached(xavier, "feed");
        feed.subscribe(m -> received.add((String) m.data));
        Clients.await(Clients.done(l -> feed.presence.enter("x", l)));
        awaitRecordOn(xavierId, "node-b");
        ClientOptions pinned = Clients.keyOptions(b.port, Cluster.KEY, "yvonne");
        pinned.disconnectedRetryTimeout = 60_000;
        Channel yvonne = Clients.attached(connect(pinned), "feed");
        Clients.await(Clients.done(l -> yvonne.presence.enter("y", l)));
        List<String> entered = new ArrayList<>();
        while (entered.size() < 2) {
            PresenceMessage p = presenceOnA.poll(20, TimeUnit.SECONDS);
            assertThat(p).as("enters seen on node A").isNotNull();
            entered.add(p.clientId);
        }
        assertThat(entered).containsExactlyInAnyOrder("xavier", "yvonne");

        Channel publisher = Clients.attached(connect(Clients.keyOptions(a.port, Cluster.KEY, "publisher")), "feed");
        int total = 60;
        List<CompletableFuture<Void>> acks = new ArrayList<>();
        for (int i = 0; i < total; i++) {
            String data = "p" + i;
            acks.add(Clients.done(l -> publisher.publish("n", data, l)));
            if (i == 20) {
                b.kill();
            }
            Thread.sleep(50);
        }
        Clients.await(CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new)));

        Eventually.await("every message received", Duration.ofSeconds(30), () -> received.size() >= total);
        Clients.awaitState(xavier, ConnectionState.connected);
        assertThat(xavier.connection.id).as("the same connection, resumed").isEqualTo(xavierId);
        awaitRecordOn(xavierId, "node-a");
        assertThat(received)
                .containsExactlyElementsOf(
                        IntStream.range(0, total).mapToObj(i -> "p" + i).toList());

        PresenceMessage leave = null;
        long leaveDeadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (leave == null && System.nanoTime() < leaveDeadline) {
            PresenceMessage p = presenceOnA.poll(1, TimeUnit.SECONDS);
            if (p != null && p.action == PresenceMessage.Action.leave) {
                leave = p;
            }
        }
        assertThat(leave).as("a LEAVE for the member whose node died").isNotNull();
        assertThat(leave.clientId).isEqualTo("yvonne");
        assertThat(watcher.presence.get(true)).extracting(m -> m.clientId).containsExactly("xavier");
    }
}

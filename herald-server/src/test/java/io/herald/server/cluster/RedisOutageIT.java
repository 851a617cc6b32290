package io.herald.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.AblyException;
import io.herald.core.testing.Eventually;
import io.herald.server.e2e.support.HeraldProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Redis stopped and started again mid-test: publishes are NACKed with 50300, connections stay up, every node reports
 * not ready, and everything recovers without restarting a node.
 */
class RedisOutageIT {
    private final List<AblyRealtime> clients = new ArrayList<>();
    private Cluster cluster;

    @AfterEach
    void stop() {
        clients.forEach(AblyRealtime::close);
        if (cluster != null) {
            cluster.close();
        }
    }

    private AblyRealtime connect(HeraldProcess node, String clientId) throws Exception {
        AblyRealtime r = Clients.realtime(Clients.keyOptions(node.port, Cluster.KEY, clientId));
        clients.add(r);
        return r;
    }

    private static void awaitReady(HeraldProcess node, int status) {
        Eventually.await(
                node.id + " /health/ready " + status, Duration.ofSeconds(30), () -> node.readyStatus() == status);
    }

    @Test
    void redisStoppedAndRestarted_publishIsNackedConnectionsStayAndNodesRecoverByThemselves() throws Exception {
        cluster = new Cluster("");
        HeraldProcess a = cluster.start("node-a");
        HeraldProcess b = cluster.start("node-b");
        AblyRealtime subscriber = connect(b, "subscriber");
        AblyRealtime publisherClient = connect(a, "publisher");
        List<String> received = Collections.synchronizedList(new ArrayList<>());
        Channel sub = Clients.attached(subscriber, "outage");
        sub.subscribe(m -> received.add((String) m.data));
        Channel pub = Clients.attached(publisherClient, "outage");
        Clients.await(Clients.done(l -> pub.publish("n", "before", l)));

        cluster.redis.stop();
        awaitReady(a, 503);
        awaitReady(b, 503);
        assertThatThrownBy(() -> Clients.await(Clients.done(l -> pub.publish("n", "during", l))))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AblyException.class)
                .satisfies(e -> assertThat(((AblyException) e).errorInfo.code).isEqualTo(50300));
        assertThat(subscriber.connection.state).isEqualTo(ConnectionState.connected);
        assertThat(publisherClient.connection.state).isEqualTo(ConnectionState.connected);

        cluster.redis.restart();
        awaitReady(a, 200);
        awaitReady(b, 200);
        Clients.await(Clients.done(l -> pub.publish("n", "after", l)));
        Eventually.await("both messages received", Duration.ofSeconds(20), () -> received.size() >= 2);
        assertThat(received).containsExactly("before", "after");
        assertThat(subscriber.connection.state).isEqualTo(ConnectionState.connected);
        assertThat(publisherClient.connection.state).isEqualTo(ConnectionState.connected);
    }
}

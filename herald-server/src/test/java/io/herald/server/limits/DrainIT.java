package io.herald.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.herald.auth.ApiKey;
import io.herald.server.HeraldServer;
import io.herald.server.config.ConfigLoader;
import io.herald.server.e2e.support.AblyJava;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * Graceful shutdown: while a client publishes continuously, the server drains; every message the
 * publisher saw acknowledged was delivered to the subscriber on the same node, and both clients were told to go
 * (DISCONNECTED, so the SDK reconnects elsewhere) rather than cut off.
 */
class DrainIT {

    @Test
    void drain_whilePublishing_everyAcknowledgedMessageWasDelivered() throws Exception {
        ApiKey key = ApiKey.generate("drain");
        Path yaml = Files.createTempFile("herald-drain-", ".yaml");
        Files.writeString(
                yaml, "drainSeconds: 5\napps:\n  - id: drain\n    keys:\n      - key: \"" + key.keyString() + "\"\n");
        HeraldServer server = HeraldServer.start(ConfigLoader.load(
                yaml, new ConfigLoader.Overrides(0, "127.0.0.1", "memory", null, false, null, "drain-node"), Map.of()));
        Files.deleteIfExists(yaml);
        AblyRealtime sub = null;
        AblyRealtime pub = null;
        try {
            sub = AblyJava.connect(options(server, key));
            pub = AblyJava.connect(options(server, key));
            Set<String> received = ConcurrentHashMap.newKeySet();
            Channel subCh = sub.channels.get("drain");
            subCh.subscribe(m -> received.add(String.valueOf(m.data)));
            AblyJava.attach(subCh);
            Channel pubCh = pub.channels.get("drain");
            AblyJava.attach(pubCh);
            Set<String> acked = ConcurrentHashMap.newKeySet();
            CompletableFuture<Void> fifty = new CompletableFuture<>();
            AtomicBoolean stop = new AtomicBoolean();
            publishChain(pubCh, 0, acked, fifty, stop);
            AblyJava.get(fifty, Duration.ofSeconds(30), "50 acknowledged publishes");
            List<AblyRealtime> clients = List.of(sub, pub);
            List<CompletableFuture<ErrorInfo>> told =
                    clients.stream().map(DrainIT::disconnectedReason).toList();
            Thread closer = new Thread(server::close, "drain");
            closer.start();
            for (CompletableFuture<ErrorInfo> f : told) {
                ErrorInfo reason = AblyJava.get(f, Duration.ofSeconds(15), "DISCONNECTED from the draining server");
                assertThat(reason).as("told why").isNotNull();
                assertThat(reason.code).isEqualTo(80030);
            }
            stop.set(true);
            closer.join(Duration.ofSeconds(20).toMillis());
            assertThat(acked).hasSizeGreaterThanOrEqualTo(50);
            assertThat(received)
                    .as("every acknowledged message reached the subscriber")
                    .containsAll(acked);
        } finally {
            AblyJava.closeAll(sub, pub);
            server.close();
        }
    }

    private static ClientOptions options(HeraldServer server, ApiKey key) {
        ClientOptions o = new ClientOptions();
        o.restHost = "localhost";
        o.realtimeHost = "localhost";
        o.port = server.port();
        o.tls = false;
        o.autoConnect = false;
        o.key = key.keyString();
        return o;
    }

    private static CompletableFuture<ErrorInfo> disconnectedReason(AblyRealtime rt) {
        CompletableFuture<ErrorInfo> f = new CompletableFuture<>();
        rt.connection.on(change -> {
            if (change.current == ConnectionState.disconnected || change.current == ConnectionState.failed) {
                f.complete(change.reason);
            }
        });
        return f;
    }

    /** Publishes n, then n+1 when n is acknowledged, until a publish fails or {@code stop}. */
    private static void publishChain(
            Channel ch, int n, Set<String> acked, CompletableFuture<Void> fifty, AtomicBoolean stop) {
        if (stop.get()) {
            return;
        }
        try {
            ch.publish("n", String.valueOf(n), new CompletionListener() {
                @Override
                public void onSuccess() {
                    acked.add(String.valueOf(n));
                    if (acked.size() >= 50) {
                        fifty.complete(null);
                    }
                    publishChain(ch, n + 1, acked, fifty, stop);
                }

                @Override
                public void onError(ErrorInfo reason) {
                    // the connection went away: this one was not acknowledged
                }
            });
        } catch (io.ably.lib.types.AblyException e) {
            // not acknowledged either
        }
    }
}

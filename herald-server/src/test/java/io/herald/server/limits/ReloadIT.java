package io.herald.server.limits;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelState;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.herald.auth.ApiKey;
import io.herald.core.testing.Eventually;
import io.herald.server.HeraldServer;
import io.herald.server.config.ConfigLoader;
import io.herald.server.config.ConfigReloader;
import io.herald.server.config.ServerConfig;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.HeraldProcess;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Keys and capabilities reload from the configuration file without a restart: a narrowed capability
 * applies to live connections at once, a removed key stops authenticating and its live connections and tokens are
 * refused, and everything else keeps working.
 */
class ReloadIT {
    private static String yaml(ApiKey a, String capabilityA, ApiKey b) {
        StringBuilder s = new StringBuilder("drainSeconds: 0\napps:\n  - id: rl\n    keys:\n");
        s.append("      - key: \"").append(a.keyString()).append("\"\n");
        if (capabilityA != null) {
            s.append("        capability: '").append(capabilityA).append("'\n");
        }
        if (b != null) {
            s.append("      - key: \"").append(b.keyString()).append("\"\n");
        }
        return s.toString();
    }

    private static ClientOptions options(HeraldServer server) {
        return AblyJava.options(server.port(), true);
    }

    @Test
    void fileChange_narrowedCapabilityAndRemovedKey_applyWithoutRestart() throws Exception {
        ApiKey a = new ApiKey("rl", "keya", ApiKey.generate("rl").secret());
        ApiKey b = new ApiKey("rl", "keyb", ApiKey.generate("rl").secret());
        Path dir = Files.createTempDirectory("herald-reload-");
        Path file = dir.resolve("herald.yaml");
        Files.writeString(file, yaml(a, null, b));
        ConfigLoader.Overrides ov = new ConfigLoader.Overrides(0, "127.0.0.1", "memory", null, false, null, "rl-node");
        ServerConfig cfg = ConfigLoader.load(file, ov, Map.of());
        HeraldServer server = HeraldServer.start(cfg);
        ConfigReloader reloader =
                new ConfigReloader(file, () -> ConfigLoader.load(file, ov, Map.of()), server.node()).start();
        AblyRealtime clientA = null;
        AblyRealtime clientB = null;
        try {
            ClientOptions oa = options(server);
            oa.key = a.keyString();
            clientA = AblyJava.connect(oa);
            Channel news = clientA.channels.get("news");
            Channel sports = clientA.channels.get("sports");
            AblyJava.attach(news);
            AblyJava.attach(sports);
            CompletableFuture<ErrorInfo> sportsFailed = new CompletableFuture<>();
            sports.on(change -> {
                if (change.current == ChannelState.failed || change.current == ChannelState.detached) {
                    sportsFailed.complete(change.reason);
                }
            });

            ClientOptions ob = options(server);
            ob.key = b.keyString();
            AblyRest restB = AblyJava.rest(ob);
            String tokenB = restB.auth.requestToken(null, null).token;
            ClientOptions obt = options(server);
            obt.token = tokenB;
            clientB = AblyJava.connect(obt);
            CompletableFuture<ErrorInfo> bDropped = new CompletableFuture<>();
            clientB.connection.on(change -> {
                if (change.current == ConnectionState.disconnected || change.current == ConnectionState.failed) {
                    bDropped.complete(change.reason);
                }
            });

            Files.writeString(file, yaml(a, "{\"news\":[\"*\"]}", b));
            ErrorInfo lost = AblyJava.get(sportsFailed, Duration.ofSeconds(20), "sports detached after the reload");
            assertThat(lost.code).isEqualTo(40160);
            assertThat(news.state).isEqualTo(ChannelState.attached);
            AblyJava.publish(news, "n", "still allowed");
            assertThat(clientB.connection.state).isEqualTo(ConnectionState.connected);

            Files.writeString(file, yaml(a, "{\"news\":[\"*\"]}", null));
            ErrorInfo dropped = AblyJava.get(bDropped, Duration.ofSeconds(20), "key B's connection dropped");
            assertThat(dropped.code).as("a token of a removed key is revoked").isEqualTo(40141);
            assertThat(dropped.message).contains(b.keyName());
            ClientOptions retry = options(server);
            retry.token = tokenB;
            AblyRest restWithOldToken = AblyJava.rest(retry);
            ErrorInfo refused = AblyJava.errorOf(
                    "REST with key B's token",
                    () -> restWithOldToken.channels.get("news").history(null));
            assertThat(refused.statusCode).isIn(401, 404);
            ErrorInfo noToken = AblyJava.errorOf("requestToken with key B", () -> restB.auth.requestToken(null, null));
            assertThat(noToken.statusCode).isIn(401, 404);
            assertThat(clientA.connection.state).isEqualTo(ConnectionState.connected);
            AblyJava.publish(news, "n", "A unaffected");

            Files.writeString(file, "apps: [ { id: rl, keys: [ { key: not-a-key } ] } ]\n");
            assertThat(reloader.reload("test: a broken file")).isFalse();
            AblyJava.publish(news, "n", "the running keys stay");
        } finally {
            AblyJava.closeAll(clientA, clientB);
            reloader.close();
            server.close();
        }
    }

    /**
     * Rotating a key's secret (same key name, new secret) closes the connections that authenticated with the old
     * secret, both Basic-key connections (40131) and connections with tokens the old secret signed (40141); the new
     * secret works at once.
     */
    @Test
    void reload_rotatedSecret_closesConnectionsOfTheOldSecret() throws Exception {
        ApiKey old = new ApiKey("rl", "keya", ApiKey.generate("rl").secret());
        ApiKey rotated = new ApiKey("rl", "keya", ApiKey.generate("rl").secret());
        Path file = Files.createTempDirectory("herald-rotate-").resolve("herald.yaml");
        Files.writeString(file, yaml(old, null, null));
        ConfigLoader.Overrides ov = new ConfigLoader.Overrides(0, "127.0.0.1", "memory", null, false, null, "rl-node");
        HeraldServer server = HeraldServer.start(ConfigLoader.load(file, ov, Map.of()));
        ConfigReloader reloader = new ConfigReloader(file, () -> ConfigLoader.load(file, ov, Map.of()), server.node());
        AblyRealtime byKey = null;
        AblyRealtime byToken = null;
        AblyRealtime byNewKey = null;
        try {
            ClientOptions ok = options(server);
            ok.key = old.keyString();
            byKey = AblyJava.connect(ok);
            ClientOptions ot = options(server);
            ot.token = AblyJava.rest(ok).auth.requestToken(null, null).token;
            byToken = AblyJava.connect(ot);
            CompletableFuture<ErrorInfo> keyDropped = dropped(byKey);
            CompletableFuture<ErrorInfo> tokenDropped = dropped(byToken);

            Files.writeString(file, yaml(rotated, null, null));
            assertThat(reloader.reload("test: rotate keya")).isTrue();

            ErrorInfo k = AblyJava.get(keyDropped, Duration.ofSeconds(20), "the old secret's connection dropped");
            assertThat(k.code).as("%s", k.message).isEqualTo(40131);
            assertThat(k.message).contains(old.keyName());
            ErrorInfo t = AblyJava.get(tokenDropped, Duration.ofSeconds(20), "the old secret's token dropped");
            assertThat(t.code).as("%s", t.message).isEqualTo(40141);
            ClientOptions on = options(server);
            on.key = rotated.keyString();
            byNewKey = AblyJava.connect(on);
            AblyJava.publish(byNewKey.channels.get("after-rotation"), "n", "the new secret works");
        } finally {
            AblyJava.closeAll(byKey, byToken, byNewKey);
            reloader.close();
            server.close();
        }
    }

    /**
     * {@code herald serve} (the packaged jar, in its own process) reloads on SIGHUP. The configuration path is a
     * symbolic link into another directory and the change is written to the link's target, so the file watch (which
     * sees only the link's directory) does not notice it: only the signal can make the node reload.
     */
    @Test
    void sighup_reloadsTheConfigurationOfARunningServer() throws Exception {
        ApiKey a = new ApiKey("rl", "keya", ApiKey.generate("rl").secret());
        ApiKey b = new ApiKey("rl", "keyb", ApiKey.generate("rl").secret());
        Path real = Files.createTempDirectory("herald-sighup-real-").resolve("herald.yaml");
        Files.writeString(real, yaml(a, null, b));
        Path file = Files.createSymbolicLink(
                Files.createTempDirectory("herald-sighup-").resolve("herald.yaml"), real);
        HttpClient http = HttpClient.newHttpClient();
        // the log file is appended to: a name of this run's, so an earlier run's reload is not taken for this one's
        try (HeraldProcess node = HeraldProcess.start(
                "sighup-" + ProcessHandle.current().pid(),
                HeraldProcess.freePort(),
                "reload-logs",
                List.of("--config", file.toString(), "--engine", "memory"))) {
            assertThat(historyStatus(http, node, b)).isEqualTo(200);

            if (sighupIgnoredHere()) {
                // started under nohup (the node inherits the ignored SIGHUP, and the JVM keeps it ignored): the node
                // must say so rather than promise a reload it cannot do
                Eventually.await(
                        () -> "the warning that SIGHUP is ignored, in the node's log:\n" + node.log(),
                        Duration.ofSeconds(20),
                        () -> node.log().contains("SIGHUP is ignored in this process"));
                return;
            }
            Files.writeString(real, yaml(a, null, null));
            Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(node.pid()))
                    .inheritIO()
                    .start();
            assertThat(kill.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(kill.exitValue()).isZero();
            // the node tells of the reload only in its log; if it never does, the failure shows the node's threads
            Eventually.await(
                    () -> "the SIGHUP reload in the node's log (node alive: " + node.isAlive() + "):\n" + node.log()
                            + "\n" + threadDump(node.pid()),
                    Duration.ofSeconds(20),
                    () -> node.log().contains("configuration reloaded (SIGHUP)"));

            assertThat(node.isAlive()).as("SIGHUP must not stop the node").isTrue();
            assertThat(historyStatus(http, node, b)).as("the removed key").isIn(401, 404);
            assertThat(historyStatus(http, node, a)).as("the kept key").isEqualTo(200);
        }
    }

    /** The status of a history request authenticated with {@code key} (Basic). */
    private static int historyStatus(HttpClient http, HeraldProcess node, ApiKey key) throws Exception {
        String basic = Base64.getEncoder().encodeToString(key.keyString().getBytes(StandardCharsets.UTF_8));
        return http.send(
                        HttpRequest.newBuilder(node.uri("/channels/news/messages"))
                                .header("Authorization", "Basic " + basic)
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    private static CompletableFuture<ErrorInfo> dropped(AblyRealtime client) {
        CompletableFuture<ErrorInfo> f = new CompletableFuture<>();
        client.connection.on(change -> {
            if (change.current == ConnectionState.disconnected || change.current == ConnectionState.failed) {
                f.complete(change.reason);
            }
        });
        return f;
    }

    /** The threads of process {@code pid} ({@code jcmd Thread.print}), for a failure message; a note if it fails. */
    private static String threadDump(long pid) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), "Thread.print")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            return out;
        } catch (java.io.IOException e) {
            return "(no thread dump: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(no thread dump: interrupted)";
        }
    }

    /** Whether this process ignores SIGHUP (its children then start with it ignored): Linux's SigIgn mask, bit 0. */
    private static boolean sighupIgnoredHere() throws java.io.IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("SigIgn:")) {
                return (Long.parseUnsignedLong(
                                        line.substring("SigIgn:".length()).trim(), 16)
                                & 1L)
                        != 0;
            }
        }
        return false;
    }
}

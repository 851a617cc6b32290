package io.herald.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.herald.auth.ApiKey;
import io.herald.core.testing.Eventually;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A disk store at its {@code maxDiskBytes} refuses publishes to persisted channels with a 50300 NACK on realtime and
 * a 503 on REST, logs why, and the node goes on serving everything else; a second node on the same data directory
 * stops at once with a message saying why and what to do.
 */
class DiskFullIT {
    @TempDir
    Path dir;

    private HeraldProcess node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void maxDiskBytesReached_publishNackedWith50300_restAnswers503_nodeStaysUp() throws Exception {
        ApiKey key = ApiKey.generate("full");
        Path config = dir.resolve("herald.yaml");
        Files.writeString(
                config,
                "disk: { maxDiskBytes: 1 }\napps:\n  - id: full\n    keys:\n      - key: " + key.keyString() + "\n");
        node = HeraldProcess.disk("full", HeraldProcess.freePort(), config, dir.resolve("data"));

        ClientOptions o = new ClientOptions(key.keyString());
        o.restHost = o.realtimeHost = "localhost";
        o.port = node.port;
        o.tls = false;
        AblyRealtime client = new AblyRealtime(o);
        try {
            CompletableFuture<ErrorInfo> nack = new CompletableFuture<>();
            client.channels.get("persisted:full").publish("m", "kept?", new CompletionListener() {
                @Override
                public void onSuccess() {
                    nack.complete(null);
                }

                @Override
                public void onError(ErrorInfo reason) {
                    nack.complete(reason);
                }
            });
            ErrorInfo reason = nack.get(20, TimeUnit.SECONDS);
            assertThat(reason).as("a NACK").isNotNull();
            assertThat(reason.code).isEqualTo(50300);
            assertThat(reason.message).contains("disk store is full").contains("maxDiskBytes");

            CompletableFuture<ErrorInfo> ordinary = new CompletableFuture<>();
            client.channels.get("chat").publish("m", "in memory", new CompletionListener() {
                @Override
                public void onSuccess() {
                    ordinary.complete(null);
                }

                @Override
                public void onError(ErrorInfo r) {
                    ordinary.complete(r);
                }
            });
            assertThat(ordinary.get(20, TimeUnit.SECONDS))
                    .as("ordinary channels are not on disk")
                    .isNull();
        } finally {
            client.close();
        }
        Http.Response rest = Http.postJson(
                node.uri("/channels/persisted:full/messages"),
                "{\"name\":\"m\",\"data\":\"x\"}",
                "Authorization",
                Http.basic(key));
        Http.assertAblyError(rest, 503, 50300);
        assertThat(node.readyStatus()).isEqualTo(200);
        assertThat(node.isAlive()).isTrue();
        // the node's log is written in batches (BatchingAppender): the line is there within its linger, not at once
        Eventually.await(
                () -> "the disk-full warning in the node's log:\n" + node.log(),
                Duration.ofSeconds(20),
                () -> node.log().contains("at its limit maxDiskBytes 1"));
    }

    @Test
    void secondNodeOnTheSameDataDirectory_exitsNonZeroSayingWhy() throws Exception {
        ApiKey key = ApiKey.generate("lock");
        Path config = dir.resolve("herald.yaml");
        Files.writeString(config, "apps:\n  - id: lock\n    keys:\n      - key: " + key.keyString() + "\n");
        node = HeraldProcess.disk("lock-1", HeraldProcess.freePort(), config, dir.resolve("data"));
        Path jar = Path.of("target", "herald.jar").toAbsolutePath();
        Process second = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        jar.toString(),
                        "serve",
                        "--config",
                        config.toString(),
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--port",
                        "0",
                        "--host",
                        "127.0.0.1")
                .redirectErrorStream(true)
                .start();
        assertThat(second.waitFor(30, TimeUnit.SECONDS))
                .as("the second node stops by itself")
                .isTrue();
        String out = new String(second.getInputStream().readAllBytes());
        assertThat(second.exitValue()).as(out).isEqualTo(1);
        assertThat(out)
                .contains("herald: cannot start: the data directory")
                .contains("is in use by another Herald " + "process")
                .contains("--data-dir");
        assertThat(node.readyStatus()).as("the first node is untouched").isEqualTo(200);
    }
}

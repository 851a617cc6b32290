package io.herald.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LiveObjects on the packaged server's default engine (disk) across SIGKILL: a client increments a counter over the
 * REST objects API, one request at a time, until the server is killed at a random moment. After the restart the
 * counter holds every acknowledged increment (and none that was never sent), the map's other key is there, and a
 * further clean restart reads the same objects back.
 */
class DiskObjectsCrashIT {
    private static final String CHANNEL = "objects-crash";

    @TempDir
    Path dir;

    private HeraldProcess node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private Http.Response post(ApiKey key, String json) {
        return Http.postJson(node.uri("/channels/" + CHANNEL + "/object"), json, "Authorization", Http.basic(key));
    }

    private JsonNode objects(ApiKey key, boolean compact) {
        Http.Response r = Http.get(
                node.uri("/channels/" + CHANNEL + "/object?compact=" + compact), "Authorization", Http.basic(key));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    @Test
    void sigkillWhileIncrementing_everyAcknowledgedIncrementSurvives_andACleanRestartReadsTheSame() throws Exception {
        ApiKey key = ApiKey.generate("objects");
        Path config = dir.resolve("herald.yaml");
        Files.writeString(config, "apps:\n  - id: objects\n    keys:\n      - key: " + key.keyString() + "\n");
        Path data = dir.resolve("data");
        int port = HeraldProcess.freePort();
        node = HeraldProcess.disk("objects-0", port, config, data);

        assertThat(post(key, "{\"path\":\"votes\",\"counterCreate\":{\"count\":0}}")
                        .status())
                .isEqualTo(201);
        Http.Response set =
                post(key, "{\"objectId\":\"root\",\"mapSet\":{\"key\":\"title\",\"value\":{\"string\":\"poll\"}}}");
        assertThat(set.status()).as("%s", set).isEqualTo(201);

        AtomicLong sent = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicBoolean running = new AtomicBoolean(true);
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread client = new Thread(() -> {
            try {
                while (running.get()) {
                    sent.incrementAndGet();
                    if (post(key, "{\"path\":\"votes\",\"counterInc\":{\"number\":1}}")
                                    .status()
                            == 201) {
                        acked.incrementAndGet();
                    }
                }
            } catch (RuntimeException | AssertionError e) {
                // the server is gone (Http reports it as an AssertionError): this one may or may not be stored
            } finally {
                done.complete(null);
            }
        });
        client.start();
        long killAt = System.nanoTime()
                + TimeUnit.MILLISECONDS.toNanos(ThreadLocalRandom.current().nextLong(300, 1200));
        while (System.nanoTime() < killAt || acked.get() < 20) {
            Thread.sleep(5);
        }
        node.kill();
        done.get(30, TimeUnit.SECONDS);
        running.set(false);
        long ackedAtCrash = acked.get();

        node = HeraldProcess.disk("objects-1", port, config, data);
        JsonNode after = objects(key, true);
        assertThat(after.path("title").asText()).isEqualTo("poll");
        assertThat(after.path("votes").asLong())
                .as("every acknowledged increment survives, nothing unsent appears")
                .isBetween(ackedAtCrash, sent.get());

        JsonNode full = objects(key, false);
        node.close();
        node = HeraldProcess.disk("objects-2", port, config, data);
        assertThat(objects(key, false)).isEqualTo(full);
        assertThat(node.log()).doesNotContain("Exception");
    }
}

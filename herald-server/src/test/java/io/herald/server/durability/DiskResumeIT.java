package io.herald.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.ApiKey;
import io.herald.protocol.Flags;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.RawWs;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client re-attaching with its channel serial after the node was killed and restarted is told the truth: RESUMED
 * with exactly the messages it missed on a persisted channel, not RESUMED on an ordinary channel (its log died with
 * the process).
 */
class DiskResumeIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    private HeraldProcess node;

    @AfterEach
    void stop() {
        if (node != null) {
            node.close();
        }
    }

    private RawWs connect(ApiKey key) {
        RawWs ws = RawWs.open(
                URI.create("ws://127.0.0.1:" + node.port + "/?key=" + RawWs.enc(key.keyString()) + "&format=json"));
        ws.awaitAction(4, WAIT);
        return ws;
    }

    private void publish(ApiKey key, String channel, String data) {
        Http.Response r = Http.postJson(
                node.uri("/channels/" + channel + "/messages"),
                "{\"name\":\"m\",\"data\":\"" + data + "\"}",
                "Authorization",
                Http.basic(key));
        assertThat(r.status()).as("%s", r).isEqualTo(201);
    }

    /** Attaches, receives the published message, returns its channelSerial. */
    private String lastSerialSeen(RawWs ws, ApiKey key, String channel) {
        ws.sendText("{\"action\":10,\"channel\":\"" + channel + "\"}");
        ws.await(f -> f.action() == 11 && f.message().path("channel").asText().equals(channel), "ATTACHED", WAIT);
        publish(key, channel, "before the crash");
        return ws.await(
                        f -> f.action() == 15
                                && f.message().path("channel").asText().equals(channel),
                        "MESSAGE",
                        WAIT)
                .message()
                .path("channelSerial")
                .asText();
    }

    @Test
    void reattachWithSerialAfterSigkill_persistedResumedWithTheMissedMessages_ordinaryToldContinuityLost()
            throws Exception {
        ApiKey key = ApiKey.generate("res");
        Path config = dir.resolve("herald.yaml");
        Files.writeString(config, "apps:\n  - id: res\n    keys:\n      - key: " + key.keyString() + "\n");
        int port = HeraldProcess.freePort();
        node = HeraldProcess.disk("resume-1", port, config, dir.resolve("data"));
        String persistedSerial;
        String ordinarySerial;
        try (RawWs ws = connect(key)) {
            persistedSerial = lastSerialSeen(ws, key, "persisted:resume");
            ordinarySerial = lastSerialSeen(ws, key, "chat");
        }
        node.kill();
        node = HeraldProcess.disk("resume-2", port, config, dir.resolve("data"));
        publish(key, "persisted:resume", "missed 1");
        publish(key, "persisted:resume", "missed 2");

        try (RawWs ws = connect(key)) {
            ws.sendText(
                    "{\"action\":10,\"channel\":\"persisted:resume\",\"channelSerial\":\"" + persistedSerial + "\"}");
            var attached = ws.await(f -> f.action() == 11, "ATTACHED", WAIT).message();
            assertThat(attached.path("flags").asInt() & Flags.RESUMED)
                    .as("%s", attached)
                    .isNotZero();
            assertThat(ws.await(f -> f.action() == 15, "MESSAGE", WAIT)
                            .message()
                            .path("messages")
                            .get(0)
                            .path("data")
                            .asText())
                    .isEqualTo("missed 1");
            assertThat(ws.await(f -> f.action() == 15, "MESSAGE", WAIT)
                            .message()
                            .path("messages")
                            .get(0)
                            .path("data")
                            .asText())
                    .isEqualTo("missed 2");

            ws.sendText("{\"action\":10,\"channel\":\"chat\",\"channelSerial\":\"" + ordinarySerial + "\"}");
            var lost = ws.await(
                            f -> f.action() == 11
                                    && f.message().path("channel").asText().equals("chat"),
                            "ATTACHED chat",
                            WAIT)
                    .message();
            assertThat(lost.path("flags").asInt() & Flags.RESUMED)
                    .as("%s", lost)
                    .isZero();
        }
    }
}

package io.herald.server.durability;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.server.e2e.support.HeraldProcess;
import io.herald.server.e2e.support.Http;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code herald backup} copies a running node's store; a node started on the copy has the history. */
class DiskBackupIT {
    @TempDir
    Path dir;

    private final List<HeraldProcess> nodes = new ArrayList<>();

    @AfterEach
    void stop() {
        nodes.forEach(HeraldProcess::close);
    }

    private static List<String> history(HeraldProcess node, ApiKey key) {
        Http.Response r = Http.get(
                node.uri("/channels/persisted:backup/messages?direction=forwards"), "Authorization", Http.basic(key));
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        List<String> data = new ArrayList<>();
        for (JsonNode m : r.json()) {
            data.add(m.path("data").asText());
        }
        return data;
    }

    @Test
    void backupCommand_whileTheNodeRuns_copyServesTheSameHistory() throws Exception {
        ApiKey key = ApiKey.generate("bk");
        Path config = dir.resolve("herald.yaml");
        Files.writeString(config, "apps:\n  - id: bk\n    keys:\n      - key: " + key.keyString() + "\n");
        HeraldProcess node = HeraldProcess.disk("backup-source", HeraldProcess.freePort(), config, dir.resolve("data"));
        nodes.add(node);
        for (int i = 0; i < 5; i++) {
            Http.Response r = Http.postJson(
                    node.uri("/channels/persisted:backup/messages"),
                    "{\"name\":\"m\",\"data\":\"m" + i + "\"}",
                    "Authorization",
                    Http.basic(key));
            assertThat(r.status()).as("%s", r).isEqualTo(201);
        }
        Path out = dir.resolve("copy");
        Process backup = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-XX:TieredStopAtLevel=1",
                        "-jar",
                        Path.of("target", "herald.jar").toAbsolutePath().toString(),
                        "backup",
                        "--data-dir",
                        dir.resolve("data").toString(),
                        "--out",
                        out.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(backup.waitFor(60, TimeUnit.SECONDS)).isTrue();
        String printed = new String(backup.getInputStream().readAllBytes());
        assertThat(backup.exitValue()).as(printed).isZero();
        assertThat(printed).contains("Backup of").contains("Restore: herald serve --data-dir");
        assertThat(node.readyStatus()).as("the source node is untouched").isEqualTo(200);

        HeraldProcess restored = HeraldProcess.disk("backup-copy", HeraldProcess.freePort(), config, out);
        nodes.add(restored);
        assertThat(history(restored, key)).containsExactly("m0", "m1", "m2", "m3", "m4");
    }
}

package io.herald.disk;

import static io.herald.core.testing.TestEvents.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ProtocolMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A device that really runs out of space (an 8 MB tmpfs; the test is skipped where it cannot be mounted, e.g. without
 * root): the publish that does not fit gets a 50300 NACK naming the failure, nothing half-written is visible, the
 * engine keeps answering reads but reports not ready (RocksDB takes no more writes after a log write failed, even
 * once space is free), and a restart on the same directory finds every acknowledged message and takes writes again.
 */
class DiskSpaceTest {
    @TempDir
    Path dir;

    private Path mount;
    private DiskEngine engine;

    @AfterEach
    void unmount() throws Exception {
        if (engine != null) {
            engine.close();
        }
        if (mount != null) {
            new ProcessBuilder("umount", mount.toString()).inheritIO().start().waitFor(10, TimeUnit.SECONDS);
        }
    }

    private DiskEngine open() {
        CoreConfig config = new CoreConfig("t", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of());
        DiskEngine e = new DiskEngine(new EngineContext(
                config,
                Clock.systemUTC(),
                "n",
                Map.of(DiskSettings.DATA_DIR, mount.resolve("data").toString())));
        e.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {}

            @Override
            public void onRevocation(Revocation revocation) {}
        });
        return e;
    }

    @Test
    void deviceFull_publishNackedWith50300_notReadyUntilRestart_restartKeepsEveryAcknowledgedMessage()
            throws Exception {
        Path target = Files.createDirectories(dir.resolve("mnt"));
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", target.toString())
                .redirectErrorStream(true)
                .start();
        assumeTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "cannot mount a tmpfs here");
        mount = target;
        Path filler = Files.write(mount.resolve("filler"), new byte[2 << 20]);
        engine = open();
        ChannelId ch = new ChannelId("app", "persisted:big");
        String payload = "x".repeat(32 * 1024);
        int acked = 0;
        AblyException refused = null;
        for (int i = 0; i < 2_000 && refused == null; i++) {
            ProtocolMessage pm = messages(ch.name(), payload + i);
            try {
                engine.publish(new PublishRequest(ch, pm, Timings.DEFAULTS.persistedRetention(), false))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS);
                acked++;
            } catch (ExecutionException e) {
                refused = (AblyException) e.getCause();
            }
        }
        assertThat(refused)
                .as("a publish refused once the device is full (%d acknowledged)", acked)
                .isNotNull();
        assertThat(refused.error().code()).isEqualTo(50300);
        assertThat(refused.getMessage()).contains("Message not stored");
        assertThat(acked).isGreaterThan(10);
        HistoryPage page = engine.query(
                        ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 1000, true, null, null))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(page.items())
                .as("the engine still answers, with what was acknowledged")
                .hasSize(acked);

        assertThat(engine.isReady()).as("not ready: the node needs a restart").isFalse();
        Files.delete(filler);
        ExecutionException stillRefused = org.junit.jupiter.api.Assertions.assertThrows(
                ExecutionException.class,
                () -> engine.publish(new PublishRequest(
                                ch,
                                messages(ch.name(), "before the restart"),
                                Timings.DEFAULTS.persistedRetention(),
                                false))
                        .toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
        assertThat(((AblyException) stillRefused.getCause()).error().code()).isEqualTo(50300);
        assertThat(stillRefused.getCause().getMessage()).contains("stopped after a write error");
        engine.close();
        engine = open();
        HistoryPage after = engine.query(
                        ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 1000, true, null, null))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        assertThat(after.items())
                .as("every acknowledged message after a restart")
                .hasSize(acked);
        assertThat(engine.isReady()).isTrue();
        engine.publish(new PublishRequest(
                        ch, messages(ch.name(), "after the restart"), Timings.DEFAULTS.persistedRetention(), false))
                .toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
    }
}

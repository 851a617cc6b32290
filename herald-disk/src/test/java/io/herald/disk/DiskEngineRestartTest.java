package io.herald.disk;

import static io.herald.core.testing.TestEvents.messages;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Replay;
import io.herald.core.engine.Revocation;
import io.herald.core.internal.AblyException;
import io.herald.core.testing.Eventually;
import io.herald.protocol.Message;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a disk engine keeps across a stop and a new start on the same directory, and how it refuses. */
class DiskEngineRestartTest {
    private static final CoreConfig CONFIG =
            new CoreConfig("test", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of());

    @TempDir
    Path dir;

    private Engine engine;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private Engine open(Map<String, String> extra) {
        Map<String, String> options = new HashMap<>(Map.of(DiskSettings.DATA_DIR, dir.toString()));
        options.putAll(extra);
        Engine e = new DiskEngine(new EngineContext(CONFIG, Clock.systemUTC(), "n1", options));
        e.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {}

            @Override
            public void onRevocation(Revocation revocation) {}
        });
        return e;
    }

    private Engine reopen() {
        engine.close();
        engine = open(Map.of());
        return engine;
    }

    private PublishOutcome publishPersisted(ChannelId ch, String data) throws Exception {
        return Eventually.result(engine.broker()
                .publish(new PublishRequest(
                        ch, messages(ch.name(), data), Timings.DEFAULTS.persistedRetention(), false)));
    }

    private List<Object> history(ChannelId ch) throws Exception {
        HistoryPage page = Eventually.result(engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 100, true, null, null)));
        return page.items().stream().map(i -> ((Message) i.item()).data).toList();
    }

    @Test
    void persistedChannel_afterRestart_keepsHistoryAndContinuesSerialsInTheSameEpoch() throws Exception {
        engine = open(Map.of());
        ChannelId ch = new ChannelId("app", "persisted:orders");
        publishPersisted(ch, "a");
        PublishOutcome b = publishPersisted(ch, "b");
        reopen();
        assertThat(history(ch)).containsExactly("a", "b");
        assertThat(Eventually.result(engine.broker().position(ch))).isEqualTo(b.serial());
        PublishOutcome c = publishPersisted(ch, "c");
        assertThat(c.serial().epoch()).isEqualTo(b.serial().epoch());
        assertThat(c.serial().seq()).isEqualTo(b.serial().seq() + 1);
        Replay resumed = Eventually.result(engine.history().since(ch, b.serial(), 100));
        assertThat(resumed.continuous()).isTrue();
        assertThat(resumed.events()).extracting(ChannelEvent::serial).containsExactly(c.serial());
    }

    @Test
    void channelFirstReadAsOrdinary_thenPublishedWithPersistedRetention_isOnDiskFromThen() throws Exception {
        engine = open(Map.of());
        ChannelId ch = new ChannelId("sandboxapp", "persisted:late");
        assertThat(history(ch)).isEmpty();
        assertThat(Eventually.result(engine.broker().position(ch)).seq()).isZero();
        publishPersisted(ch, "kept");
        assertThat(history(ch)).containsExactly("kept");
        reopen();
        assertThat(history(ch)).containsExactly("kept");
    }

    @Test
    void ordinaryChannel_afterRestart_isGoneAndResumingIsNotContinuous() throws Exception {
        engine = open(Map.of());
        ChannelId ch = new ChannelId("app", "chat");
        PublishOutcome o = Eventually.result(engine.broker()
                .publish(new PublishRequest(ch, messages(ch.name(), "x"), Timings.DEFAULTS.historyRetention(), false)));
        reopen();
        assertThat(history(ch)).isEmpty();
        assertThat(Eventually.result(engine.history().since(ch, o.serial(), 100))
                        .continuous())
                .isFalse();
    }

    @Test
    void dedupe_afterRestart_stillDropsARetriedMessage() throws Exception {
        engine = open(Map.of());
        ChannelId ch = new ChannelId("app", "persisted:idem");
        var first = messages(ch.name(), "once");
        first.messages.get(0).id = "client-id-1";
        Eventually.result(
                engine.broker().publish(new PublishRequest(ch, first, Timings.DEFAULTS.persistedRetention(), true)));
        reopen();
        var retry = messages(ch.name(), "once");
        retry.messages.get(0).id = "client-id-1";
        PublishOutcome o = Eventually.result(
                engine.broker().publish(new PublishRequest(ch, retry, Timings.DEFAULTS.persistedRetention(), true)));
        assertThat(o.serial()).isNull();
        assertThat(history(ch)).containsExactly("once");
    }

    @Test
    void noncesAndRevocations_afterRestart_areStillInForce() throws Exception {
        engine = open(Map.of());
        Instant until = Instant.now().plusSeconds(240);
        assertThat(Eventually.result(engine.nonces().claim("app.k", "nonce-0123456789", until)))
                .isTrue();
        long now = System.currentTimeMillis();
        Revocation r = new Revocation("app.k", "clientId", "mallory", now, now, now + 3_600_000);
        Revocation expired = new Revocation("app.k", "clientId", "old", now - 10, now - 10, now - 1);
        Eventually.result(engine.revocations().add(r));
        Eventually.result(engine.revocations().add(expired));
        reopen();
        assertThat(Eventually.result(engine.nonces().claim("app.k", "nonce-0123456789", until)))
                .isFalse();
        assertThat(Eventually.result(engine.nonces().claim("app.k", "nonce-other-0001", until)))
                .isTrue();
        assertThat(engine.revocations().forKey("app.k")).containsExactly(r);
    }

    @Test
    void maxDiskBytesReached_persistedPublishIsRefusedWith50300_ordinaryChannelsGoOn() throws Exception {
        engine = open(Map.of(DiskSettings.MAX_DISK_BYTES, "1"));
        ChannelId ch = new ChannelId("app", "persisted:full");
        assertThatThrownBy(() -> publishPersisted(ch, "x"))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(AblyException.class)
                .satisfies(e -> {
                    assertThat(((AblyException) e).error().code()).isEqualTo(50300);
                    assertThat(e.getMessage()).contains("disk store is full").contains("maxDiskBytes");
                });
        ChannelId chat = new ChannelId("app", "chat");
        assertThat(Eventually.result(engine.broker()
                                .publish(new PublishRequest(
                                        chat, messages(chat.name(), "y"), Timings.DEFAULTS.historyRetention(), false)))
                        .serial())
                .isNotNull();
    }

    @Test
    void secondEngineOnTheSameDirectory_failsSayingWhyAndWhatToDo() {
        engine = open(Map.of());
        assertThatThrownBy(() -> open(Map.of()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("in use by another Herald process")
                .hasMessageContaining("--data-dir");
    }

    @Test
    void backup_whileRunning_isACompleteDataDirectoryStartingNewEpochs(@TempDir Path backups) throws Exception {
        engine = open(Map.of());
        ChannelId ch = new ChannelId("app", "persisted:backed");
        publishPersisted(ch, "1");
        PublishOutcome two = publishPersisted(ch, "2");
        Path out = backups.resolve("copy");
        DiskBackup.create(dir, out);
        publishPersisted(ch, "after the backup");
        engine.close();
        engine = new DiskEngine(
                new EngineContext(CONFIG, Clock.systemUTC(), "n2", Map.of(DiskSettings.DATA_DIR, out.toString())));
        assertThat(history(ch)).containsExactly("1", "2");
        ChannelSerial restored = Eventually.result(engine.broker().position(ch));
        assertThat(restored.seq()).isEqualTo(two.serial().seq());
        assertThat(restored.epoch())
                .as("a restored copy starts a new epoch")
                .isNotEqualTo(two.serial().epoch());
        assertThatThrownBy(() -> DiskBackup.create(dir, out))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("already exists");
    }

    @Test
    void uncleanStopThenReboot_withoutFsyncAlways_startsNewEpochsSoResumesAreNotContinuous() throws Exception {
        engine = open(Map.of());
        ChannelId ch = new ChannelId("app", "persisted:epoch");
        PublishOutcome a = publishPersisted(ch, "a");
        engine.close();
        engine = null;
        // what a power loss leaves behind: the store marked open, by a machine that has since rebooted
        DiskStore raw = new DiskStore(dir, DiskEngine.ttls(Timings.DEFAULTS), false);
        raw.db.put(raw.meta, "boot".getBytes(StandardCharsets.UTF_8), "another-boot".getBytes(StandardCharsets.UTF_8));
        raw.close();
        engine = open(Map.of());
        ChannelSerial now = Eventually.result(engine.broker().position(ch));
        assertThat(now.epoch()).isNotEqualTo(a.serial().epoch());
        assertThat(now.seq()).isEqualTo(a.serial().seq());
        assertThat(Eventually.result(engine.history().since(ch, a.serial(), 100))
                        .continuous())
                .isFalse();
        assertThat(history(ch)).containsExactly("a");
        PublishOutcome b = publishPersisted(ch, "b");
        assertThat(b.serial().seq()).isEqualTo(a.serial().seq() + 1);
        assertThat(Eventually.result(engine.history().since(ch, now, 100)).continuous())
                .isTrue();
    }
}

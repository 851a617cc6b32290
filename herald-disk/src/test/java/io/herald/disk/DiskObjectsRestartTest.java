package io.herald.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.ObjectsRequest;
import io.herald.core.engine.ObjectsSnapshot;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.Revocation;
import io.herald.core.internal.AblyException;
import io.herald.core.objects.ObjectData;
import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectMessages;
import io.herald.core.objects.ObjectOperation;
import io.herald.core.testing.Eventually;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LiveObjects across a stop and a new start of the disk engine on the same directory: the pool read back (the stored
 * pool and the operations after it) is the pool that was there, after a clean stop and after an unclean one that
 * starts new epochs; a damaged record is refused with a clear error and left as it is.
 */
class DiskObjectsRestartTest {
    private static final CoreConfig CONFIG =
            new CoreConfig("test", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of());

    @TempDir
    Path dir;

    private Engine engine;
    private int batches;

    @AfterEach
    void close() {
        if (engine != null) {
            engine.close();
        }
    }

    private Engine open() {
        Engine e = new DiskEngine(
                new EngineContext(CONFIG, Clock.systemUTC(), "n1", Map.of(DiskSettings.DATA_DIR, dir.toString())));
        e.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {}

            @Override
            public void onRevocation(Revocation revocation) {}
        });
        return e;
    }

    private void reopen() {
        engine.close();
        engine = open();
    }

    private PublishOutcome apply(ChannelId ch, ObjectOperation... ops) throws Exception {
        ProtocolMessage pm = new ProtocolMessage(Action.OBJECT);
        pm.channel = ch.name();
        pm.id = "conn:" + batches++;
        pm.connectionId = "conn";
        List<ObjectMessage> ms = new ArrayList<>();
        for (ObjectOperation op : ops) {
            ms.add(ObjectMessage.ofOperation(op));
        }
        return Eventually.result(
                engine.objects().apply(new ObjectsRequest(ch, pm, ms, Timings.DEFAULTS.historyRetention())));
    }

    private ObjectsSnapshot snapshot(ChannelId ch) throws Exception {
        return Eventually.result(engine.objects().snapshot(ch));
    }

    /** The snapshot as its OBJECT_SYNC JSON, so two are compared field by field. */
    private static String json(ObjectsSnapshot s) {
        return ObjectMessages.write(s.objects()).toString();
    }

    /** A few batches touching maps, counters, references and removals, {@code n} counter increments after them. */
    private void edit(ChannelId ch, int n) throws Exception {
        apply(
                ch,
                ObjectOperation.mapSet("root", "title", ObjectData.ofString("hello")),
                ObjectOperation.mapSet("root", "visits", ObjectData.reference("counter:c@1")),
                ObjectOperation.counterInc("counter:c@1", 2));
        apply(ch, ObjectOperation.mapSet("root", "gone", ObjectData.ofNumber(1)));
        apply(ch, ObjectOperation.mapRemove("root", "gone"));
        for (int i = 0; i < n; i++) {
            apply(
                    ch,
                    ObjectOperation.counterInc("counter:c@1", 1),
                    ObjectOperation.mapSet("root", "n", ObjectData.ofNumber(i)));
        }
    }

    @Test
    void objects_afterACleanStop_areReadBackIdentical_fromOperationsAndFromTheStoredPool() throws Exception {
        engine = open();
        ChannelId ch = new ChannelId("app", "objects:restart");
        edit(ch, 5);
        ObjectsSnapshot before = snapshot(ch);
        assertThat(before.objects()).hasSize(2);
        reopen();
        ObjectsSnapshot after = snapshot(ch);
        assertThat(json(after)).isEqualTo(json(before));
        assertThat(after.position()).isEqualTo(before.position());

        // past FOLD_EVERY events: the pool is stored whole and the operations before it are dropped
        edit(ch, DiskObjects.FOLD_EVERY + 20);
        ObjectsSnapshot folded = snapshot(ch);
        reopen();
        assertThat(json(snapshot(ch))).isEqualTo(json(folded));
        assertThat(snapshot(ch).position()).isEqualTo(folded.position());
        double count = snapshot(ch).objects().get(1).object().counterCount();
        assertThat(count).isEqualTo(2 + 5 + 2 + DiskObjects.FOLD_EVERY + 20);

        PublishOutcome next = apply(ch, ObjectOperation.mapSet("root", "title", ObjectData.ofString("again")));
        assertThat(next.serial().seq()).isEqualTo(folded.position().seq() + 1);
        assertThat(snapshot(ch)
                        .objects()
                        .get(0)
                        .object()
                        .map()
                        .entries()
                        .get("title")
                        .data())
                .isEqualTo(ObjectData.ofString("again"));
    }

    @Test
    void objects_outliveTheLog_theirStoreHasNoTtl() {
        int[] ttls = DiskEngine.ttls(Timings.DEFAULTS);
        assertThat(DiskStore.FAMILIES[ttls.length - 1]).isEqualTo("objects");
        assertThat(ttls[ttls.length - 1]).as("the objects family never expires").isZero();
    }

    @Test
    void objects_afterAnUncleanStopAndReboot_areReadBack_andNewEpochOperationsStillWin() throws Exception {
        engine = open();
        ChannelId ch = new ChannelId("app", "objects:unclean");
        edit(ch, 3);
        ObjectsSnapshot before = snapshot(ch);
        engine.close();
        engine = null;
        // what a power loss leaves behind: the store marked open, by a machine that has since rebooted
        DiskStore raw = new DiskStore(dir, DiskEngine.ttls(Timings.DEFAULTS), false);
        raw.db.put(raw.meta, DiskStore.STATE, "open".getBytes(StandardCharsets.UTF_8));
        raw.db.put(raw.meta, "boot".getBytes(StandardCharsets.UTF_8), "another-boot".getBytes(StandardCharsets.UTF_8));
        raw.close();
        engine = open();
        ObjectsSnapshot after = snapshot(ch);
        assertThat(after.position().epoch()).isNotEqualTo(before.position().epoch());
        assertThat(json(after)).isEqualTo(json(before));
        PublishOutcome set = apply(ch, ObjectOperation.mapSet("root", "title", ObjectData.ofString("new epoch")));
        assertThat(set.serials().get(0)).isGreaterThan(before.position().messageSerial(0));
        assertThat(snapshot(ch)
                        .objects()
                        .get(0)
                        .object()
                        .map()
                        .entries()
                        .get("title")
                        .data())
                .as("a set in the new epoch wins over the old epoch's")
                .isEqualTo(ObjectData.ofString("new epoch"));
    }

    @Test
    void aBackupTakenWhileRunning_holdsTheObjects(@TempDir Path backups) throws Exception {
        engine = open();
        ChannelId ch = new ChannelId("app", "objects:backed");
        edit(ch, DiskObjects.FOLD_EVERY + 5);
        ObjectsSnapshot before = snapshot(ch);
        Path out = backups.resolve("copy");
        DiskBackup.create(dir, out);
        engine.close();
        engine = new DiskEngine(
                new EngineContext(CONFIG, Clock.systemUTC(), "n2", Map.of(DiskSettings.DATA_DIR, out.toString())));
        assertThat(json(snapshot(ch))).isEqualTo(json(before));
    }

    @Test
    void epochAfter_alwaysSortsAfterTheOldOne() {
        for (String old : List.of("AAAAAAAA", "m0m0m0m0", "zzzzzzzz", "zzzzzzzz9", "99999999")) {
            for (int i = 0; i < 20; i++) {
                String e = EpochRenewal.after(old);
                assertThat(e + "-000000000001").isGreaterThan(old + "-999999999999");
            }
        }
    }

    @Test
    void aDamagedStoredRecord_isRefusedSayingWhich_andLeftAsItIs() throws Exception {
        engine = open();
        ChannelId ch = new ChannelId("app", "objects:damaged");
        edit(ch, 2);
        PublishOutcome last = apply(ch, ObjectOperation.counterInc("counter:c@1", 1));
        engine.close();
        engine = null;
        byte[] key = Layout.objectsOpKey(Layout.channelKey(ch), last.serial().seq());
        byte[] garbage = "{\"not\": \"an objects record\"}".getBytes(StandardCharsets.UTF_8);
        DiskStore raw = new DiskStore(dir, DiskEngine.ttls(Timings.DEFAULTS), false);
        assertThat(raw.db.get(raw.objects, key)).isNotNull();
        raw.db.put(raw.objects, key, garbage);
        raw.closeClean();

        engine = open();
        assertThatThrownBy(() -> snapshot(ch))
                .rootCause()
                .isInstanceOf(AblyException.class)
                .hasMessageContaining("stored LiveObjects of channel")
                .hasMessageContaining("objects:damaged")
                .hasMessageContaining("seq " + last.serial().seq())
                .hasMessageContaining("backup")
                .satisfies(
                        e -> assertThat(((AblyException) e).error().code()).isEqualTo(ErrorCode.INTERNAL_ERROR.code()));
        assertThatThrownBy(() -> apply(ch, ObjectOperation.mapSet("root", "x", ObjectData.ofString("y"))))
                .rootCause()
                .hasMessageContaining("objects:damaged");
        assertThat(Eventually.result(engine.broker().position(ch))).isEqualTo(last.serial());
        engine.close();
        engine = null;
        DiskStore after = new DiskStore(dir, DiskEngine.ttls(Timings.DEFAULTS), false);
        try {
            assertThat(after.db.get(after.objects, key))
                    .as("nothing overwrote it")
                    .isEqualTo(garbage);
        } finally {
            after.closeClean();
        }
    }

    @Test
    void aDamagedStoredPool_isRefusedSayingSo_otherChannelsGoOn() throws Exception {
        engine = open();
        ChannelId ch = new ChannelId("app", "objects:damaged-pool");
        ChannelId other = new ChannelId("app", "objects:fine");
        edit(ch, DiskObjects.FOLD_EVERY);
        edit(other, 1);
        ObjectsSnapshot fine = snapshot(other);
        engine.close();
        engine = null;
        byte[] key = Layout.objectsPoolKey(Layout.channelKey(ch));
        DiskStore raw = new DiskStore(dir, DiskEngine.ttls(Timings.DEFAULTS), false);
        byte[] pool = raw.db.get(raw.objects, key);
        assertThat(pool).as("past FOLD_EVERY events the pool is stored whole").isNotNull();
        raw.db.put(raw.objects, key, java.util.Arrays.copyOf(pool, pool.length / 2)); // a torn record
        raw.closeClean();

        engine = open();
        assertThatThrownBy(() -> snapshot(ch))
                .rootCause()
                .isInstanceOf(AblyException.class)
                .hasMessageContaining("objects:damaged-pool")
                .hasMessageContaining("its stored pool");
        assertThat(json(snapshot(other))).isEqualTo(json(fine));
    }
}

package io.herald.core.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.internal.AblyException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectsStateTest {
    private static final String COUNTER = "counter:abc@1";
    private static final String MAP = "map:def@1";

    private final ObjectsState pool = new ObjectsState(ObjectsLimits.DEFAULTS);

    private static ObjectMessage at(ObjectOperation op, String serial, String site, long ts) {
        return ObjectMessage.ofOperation(op).stamped("id:" + serial, null, "conn", ts, serial, site);
    }

    private boolean apply(ObjectOperation op, String serial, String site) {
        pool.check(List.of(op));
        return pool.apply(at(op, serial, site, 1000));
    }

    @Test
    void newPool_hasOnlyAnEmptyRoot() {
        assertThat(pool.isEmpty()).isTrue();
        assertThat(pool.objectCount()).isEqualTo(1);
        List<ObjectMessage> sync = pool.snapshot();
        assertThat(sync).hasSize(1);
        ObjectState root = sync.get(0).object();
        assertThat(root).isNotNull();
        assertThat(root.objectId()).isEqualTo("root");
        assertThat(root.map()).isNotNull();
        assertThat(root.map().entries()).isEmpty();
    }

    @Test
    void mapSet_lastWriteWinsBySerialAcrossSites() {
        assertThat(apply(ObjectOperation.mapSet("root", "k", ObjectData.ofString("b")), "s-0002", "site2"))
                .isTrue();
        // an older serial from another site loses
        assertThat(apply(ObjectOperation.mapSet("root", "k", ObjectData.ofString("a")), "s-0001", "site1"))
                .isFalse();
        assertThat(pool.state("root").map().entries().get("k").data()).isEqualTo(ObjectData.ofString("b"));
        assertThat(pool.state("root").siteTimeserials())
                .containsEntry("site1", "s-0001")
                .containsEntry("site2", "s-0002");
    }

    @Test
    void operationNotNewerThanItsSitesLast_isSkipped() {
        assertThat(apply(ObjectOperation.counterInc(COUNTER, 1), "s-0005", "site1"))
                .isTrue();
        assertThat(apply(ObjectOperation.counterInc(COUNTER, 1), "s-0005", "site1"))
                .isFalse();
        assertThat(apply(ObjectOperation.counterInc(COUNTER, 1), "s-0004", "site1"))
                .isFalse();
        assertThat(pool.state(COUNTER).counterCount()).isEqualTo(1.0);
    }

    @Test
    void counter_createMergesOnce_andSyncCountExcludesTheInitialValue() {
        apply(ObjectOperation.counterInc(COUNTER, 2), "s-0001", "a"); // before its create: a zero-value counter
        apply(ObjectOperation.counterCreate(COUNTER, 10), "s-0002", "a");
        apply(ObjectOperation.counterCreate(COUNTER, 99), "s-0003", "b"); // a second create is not merged
        apply(ObjectOperation.counterInc(COUNTER, -0.5), "s-0004", "b");
        ObjectState s = pool.state(COUNTER);
        assertThat(s.counterCount()).isEqualTo(1.5);
        assertThat(s.createOp().number()).isEqualTo(10.0);
        assertThat(ObjectsView.compact(pool, COUNTER).asDouble()).isEqualTo(11.5);
    }

    @Test
    void mapCreate_mergesEntriesUnderLaterWrites() {
        apply(ObjectOperation.mapSet(MAP, "x", ObjectData.ofNumber(1)), "s-0001", "a");
        MapCreate create = new MapCreate(
                MapCreate.LWW,
                Map.of(
                        "x",
                        MapEntry.of(ObjectData.ofNumber(0), null),
                        "y",
                        MapEntry.of(ObjectData.ofBoolean(true), null)));
        apply(ObjectOperation.mapCreate(MAP, create), "s-0002", "a");
        Map<String, MapEntry> entries = pool.state(MAP).map().entries();
        assertThat(entries.get("x").data()).isEqualTo(ObjectData.ofNumber(1));
        assertThat(entries.get("y").data()).isEqualTo(ObjectData.ofBoolean(true));
        assertThat(pool.state(MAP).createOp()).isNotNull();
    }

    @Test
    void mapSetOfAReference_createsTheZeroValueObject() {
        apply(ObjectOperation.mapSet("root", "c", ObjectData.reference(COUNTER)), "s-0001", "a");
        assertThat(pool.state(COUNTER)).isNotNull();
        assertThat(ObjectsView.compact(pool, "root").toString()).isEqualTo("{\"c\":0}");
    }

    @Test
    void mapRemove_keepsATombstoneUntilTheGracePeriodPasses() {
        ObjectsState p = new ObjectsState(new ObjectsLimits(100, 10_000, Duration.ofMillis(500)));
        ObjectOperation set = ObjectOperation.mapSet("root", "k", ObjectData.ofString("v"));
        p.apply(at(set, "s-0001", "a", 1000));
        p.apply(at(ObjectOperation.mapRemove("root", "k"), "s-0002", "a", 2000));
        MapEntry e = p.state("root").map().entries().get("k");
        assertThat(e.tombstone()).isTrue();
        assertThat(e.serialTimestamp()).isEqualTo(2000L);
        // an older set arriving late does not bring it back
        assertThat(p.apply(at(set, "s-0001", "b", 1000))).isFalse();
        assertThat(p.collect(2499)).isZero();
        assertThat(p.collect(2500)).isEqualTo(1);
        assertThat(p.state("root").map().entries()).isEmpty();
        assertThat(p.isEmpty()).isFalse(); // the root's siteTimeserials remember what was applied
    }

    @Test
    void objectDelete_tombstonesTheObject_laterOperationsRefused_thenCollected() {
        ObjectsState p = new ObjectsState(new ObjectsLimits(100, 10_000, Duration.ofMillis(10)));
        p.apply(at(ObjectOperation.counterInc(COUNTER, 3), "s-0001", "a", 1000));
        p.apply(at(ObjectOperation.delete(COUNTER), "s-0002", "a", 1000));
        assertThat(p.state(COUNTER).tombstone()).isTrue();
        assertThat(p.state(COUNTER).counterCount()).isZero();
        assertThatThrownBy(() -> p.check(List.of(ObjectOperation.counterInc(COUNTER, 1))))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(92002));
        assertThatThrownBy(() -> ObjectsView.compact(p, COUNTER))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(92004));
        assertThat(p.collect(1010)).isEqualTo(1);
        assertThat(p.state(COUNTER)).isNull();
    }

    @Test
    void mapClear_removesOlderEntries_andKeepsOlderWritesOut() {
        apply(ObjectOperation.mapSet("root", "old", ObjectData.ofString("1")), "s-0001", "a");
        apply(ObjectOperation.mapSet("root", "new", ObjectData.ofString("3")), "s-0003", "b");
        apply(ObjectOperation.mapClear("root"), "s-0002", "c");
        assertThat(pool.state("root").map().entries()).containsOnlyKeys("new");
        assertThat(pool.state("root").map().clearTimeserial()).isEqualTo("s-0002");
        // a write older than the clear, from a site that has not been seen yet, does not land
        assertThat(apply(ObjectOperation.mapSet("root", "late", ObjectData.ofString("x")), "s-0001", "d"))
                .isFalse();
        assertThat(pool.state("root").map().entries()).containsOnlyKeys("new");
    }

    @Test
    void check_refusesWrongTypesRootDeleteAndBadIds() {
        for (ObjectOperation bad : List.of(
                ObjectOperation.counterInc(MAP, 1),
                ObjectOperation.mapSet(COUNTER, "k", ObjectData.ofString("v")),
                ObjectOperation.delete("root"),
                ObjectOperation.counterInc("widget:x@1", 1),
                ObjectOperation.counterInc("counter:x@notanumber", 1),
                ObjectOperation.mapSet("root", "k", ObjectData.reference("nonsense")))) {
            assertThatThrownBy(() -> pool.check(List.of(bad)))
                    .as(bad.toString())
                    .isInstanceOfSatisfying(
                            AblyException.class,
                            e -> assertThat(e.error().code()).isEqualTo(92000));
        }
        assertThat(pool.isEmpty()).isTrue();
    }

    @Test
    void check_createWithAnIdThatDoesNotMatchItsInitialValue_refused() {
        String initial = "{\"count\":5}";
        String nonce = "abcdefghijklmnop";
        // the same hash node's crypto gives for sha256("{\"count\":5}:abcdefghijklmnop") in base64url
        assertThat(ObjectId.hash(initial, nonce)).isEqualTo("UGxAGHHyyGz859Dtere234r674BS26_Urex_rlKQHoM");
        String good = ObjectId.derive("counter", initial, nonce, 1234);
        ObjectOperation ok =
                new ObjectOperation(ObjectAction.COUNTER_CREATE, good, null, null, null, 5.0, nonce, initial);
        pool.check(List.of(ok));
        ObjectOperation forged = new ObjectOperation(
                ObjectAction.COUNTER_CREATE, "counter:AAAA@1234", null, null, null, 5.0, nonce, initial);
        assertThatThrownBy(() -> pool.check(List.of(forged)))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(92000));
    }

    @Test
    void limits_objectCountAndBytes_refusedWith92001_wholeBatch() {
        ObjectsState p = new ObjectsState(new ObjectsLimits(3, 200, Duration.ofDays(1)));
        List<ObjectOperation> three = List.of(
                ObjectOperation.counterInc("counter:a@1", 1),
                ObjectOperation.counterInc("counter:b@1", 1),
                ObjectOperation.counterInc("counter:c@1", 1));
        assertThatThrownBy(() -> p.check(three))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(92001));
        assertThat(p.objectCount()).isEqualTo(1);
        assertThatThrownBy(() ->
                        p.check(List.of(ObjectOperation.mapSet("root", "k", ObjectData.ofString("x".repeat(300))))))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(92001));
        p.check(List.of(ObjectOperation.mapSet("root", "k", ObjectData.ofString("x".repeat(100)))));
    }

    @Test
    void bytes_followEntriesAsTheyChange() {
        apply(ObjectOperation.mapSet("root", "key", ObjectData.ofString("12345")), "s-0001", "a");
        long withEntry = pool.bytes();
        assertThat(withEntry).isEqualTo("root".length() + 3 + 5);
        apply(ObjectOperation.mapSet("root", "key", ObjectData.ofNumber(1)), "s-0002", "a");
        assertThat(pool.bytes()).isEqualTo("root".length() + 3 + 8);
        apply(ObjectOperation.mapClear("root"), "s-0003", "a");
        assertThat(pool.bytes()).isEqualTo("root".length());
    }

    @Test
    void views_compactAndFull_nestedObjectsAndCycles() {
        apply(ObjectOperation.mapSet("root", "name", ObjectData.ofString("ada")), "s-0001", "a");
        apply(ObjectOperation.mapSet("root", "blob", ObjectData.ofBytes(new byte[] {1, 2})), "s-0002", "a");
        apply(ObjectOperation.mapSet("root", "cfg", ObjectData.ofJson("{\"a\":[1]}")), "s-0003", "a");
        apply(ObjectOperation.mapSet("root", "child", ObjectData.reference(MAP)), "s-0004", "a");
        apply(ObjectOperation.mapSet(MAP, "back", ObjectData.reference("root")), "s-0005", "a");
        apply(ObjectOperation.mapSet(MAP, "n", ObjectData.reference(COUNTER)), "s-0006", "a");
        apply(ObjectOperation.counterInc(COUNTER, 7), "s-0007", "a");
        apply(ObjectOperation.mapSet("root", "gone", ObjectData.ofString("x")), "s-0008", "a");
        apply(ObjectOperation.mapRemove("root", "gone"), "s-0009", "a");
        assertThat(ObjectsView.compact(pool, "root").toString())
                .isEqualTo("{\"name\":\"ada\",\"blob\":\"AQI=\",\"cfg\":\"{\\\"a\\\":[1]}\","
                        + "\"child\":{\"back\":{\"objectId\":\"root\"},\"n\":7}}");
        assertThat(ObjectsView.full(pool, MAP).toString())
                .isEqualTo("{\"objectId\":\"map:def@1\",\"map\":{\"semantics\":\"LWW\",\"entries\":{"
                        + "\"back\":{\"data\":{\"objectId\":\"root\",\"map\":{\"semantics\":\"LWW\",\"entries\":{"
                        + "\"name\":{\"data\":{\"string\":\"ada\"}},\"blob\":{\"data\":{\"bytes\":\"AQI=\"}},"
                        + "\"cfg\":{\"data\":{\"json\":\"{\\\"a\\\":[1]}\"}},"
                        + "\"child\":{\"data\":{\"objectId\":\"map:def@1\"}}}}}},"
                        + "\"n\":{\"data\":{\"objectId\":\"counter:abc@1\",\"counter\":{\"data\":{\"number\":7}}}}}}}");
    }

    @Test
    void restore_fromASnapshot_givesTheSamePoolViewsAndSize() {
        apply(ObjectOperation.mapSet("root", "child", ObjectData.reference(MAP)), "s-0001", "a");
        apply(
                ObjectOperation.mapCreate(
                        MAP, new MapCreate(MapCreate.LWW, Map.of("x", MapEntry.of(ObjectData.ofNumber(1), null)))),
                "s-0002",
                "a");
        apply(ObjectOperation.mapSet(MAP, "n", ObjectData.reference(COUNTER)), "s-0003", "b");
        apply(ObjectOperation.counterCreate(COUNTER, 4), "s-0004", "a");
        apply(ObjectOperation.counterInc(COUNTER, 3), "s-0005", "a");
        apply(ObjectOperation.mapRemove("root", "gone"), "s-0006", "a");
        apply(ObjectOperation.mapClear(MAP), "s-0001", "c");
        ObjectsState restored = ObjectsState.restore(pool.snapshot(), ObjectsLimits.DEFAULTS);
        assertThat(restored.snapshot()).isEqualTo(pool.snapshot());
        assertThat(restored.bytes()).isEqualTo(pool.bytes());
        assertThat(ObjectsView.full(restored, "root")).isEqualTo(ObjectsView.full(pool, "root"));
        assertThat(ObjectsView.compact(restored, "root").toString())
                .isEqualTo("{\"child\":{\"n\":7}}"); // the clear removed the create's x
        // and it goes on applying by the same rules: an operation already seen from a site is skipped
        assertThat(restored.apply(at(ObjectOperation.counterInc(COUNTER, 3), "s-0005", "a", 1)))
                .isFalse();
        assertThat(restored.apply(at(ObjectOperation.counterInc(COUNTER, 3), "s-0006", "a", 1)))
                .isTrue();
    }
}

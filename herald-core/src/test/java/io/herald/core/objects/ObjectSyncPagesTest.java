package io.herald.core.objects;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectSyncPagesTest {
    private static ObjectMessage map(String id, Map<String, MapEntry> entries, ObjectOperation createOp) {
        return ObjectMessage.ofState(new ObjectState(
                id, Map.of("herald", "s1"), false, createOp, new ObjectsMap(MapCreate.LWW, entries, "c1"), null));
    }

    private static ObjectMessage map(String id, Map<String, MapEntry> entries) {
        return map(id, entries, null);
    }

    private static ObjectMessage counter(String id) {
        return ObjectMessage.ofState(new ObjectState(id, Map.of(), false, null, null, 3.0));
    }

    private static MapEntry text(int length) {
        return MapEntry.of(ObjectData.ofString("x".repeat(length)), "s1");
    }

    private static long bytes(List<ObjectMessage> page) {
        return page.stream().mapToLong(m -> ObjectSyncPages.size(m.object())).sum();
    }

    @Test
    void size_countsKeysValuesCountAndCreateOp_asAblyDoes() {
        Map<String, MapEntry> entries = new LinkedHashMap<>();
        entries.put("ab", text(10));
        entries.put("gone", MapEntry.removed("s2", 5));
        assertThat(ObjectSyncPages.size(map("root", entries).object())).isEqualTo(2 + 10 + 4);
        assertThat(ObjectSyncPages.size(counter("counter:a@1").object())).isEqualTo(8);
        ObjectOperation create = ObjectOperation.mapCreate(
                "map:b@1", new MapCreate(MapCreate.LWW, Map.of("k", MapEntry.of(ObjectData.ofNumber(1), null))));
        assertThat(ObjectSyncPages.size(map("map:b@1", Map.of(), create).object()))
                .isEqualTo(1 + 8);
    }

    @Test
    void smallPool_isOnePage() {
        List<List<ObjectMessage>> pages =
                ObjectSyncPages.split(List.of(map("root", Map.of("a", text(5))), counter("counter:a@1")), 1000, 100);
        assertThat(pages).hasSize(1);
        assertThat(pages.get(0)).hasSize(2);
    }

    @Test
    void emptyPool_isOneEmptyPage() {
        assertThat(ObjectSyncPages.split(List.of(), 1000, 100)).containsExactly(List.of());
    }

    @Test
    void pagesHoldAtMostMaxObjects() {
        List<ObjectMessage> states = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            states.add(counter("counter:c" + i + "@1"));
        }
        List<List<ObjectMessage>> pages = ObjectSyncPages.split(states, 1_000_000, 100);
        assertThat(pages).extracting(List::size).containsExactly(100, 100, 50);
    }

    @Test
    void statesAreGroupedUpToTheByteLimit() {
        List<ObjectMessage> states = List.of(
                map("map:a@1", Map.of("k", text(59))),
                map("map:b@1", Map.of("k", text(39))),
                map("map:c@1", Map.of("k", text(59))));
        List<List<ObjectMessage>> pages = ObjectSyncPages.split(states, 100, 100);
        assertThat(pages).extracting(List::size).containsExactly(2, 1);
        assertThat(pages).allSatisfy(p -> assertThat(bytes(p)).isLessThanOrEqualTo(100));
    }

    @Test
    void aMapLargerThanThePage_isSplitIntoPartialStatesWithTheSameIdAndDisjointKeys() {
        // three entries of 90 bytes each: no two fit in one page of 100
        Map<String, MapEntry> entries = new LinkedHashMap<>();
        entries.put("largeKey1", text(90 - 9));
        entries.put("largeKey2", text(90 - 9));
        entries.put("largeKey3", text(90 - 9));
        entries.put("small", text(1));
        ObjectOperation create = ObjectOperation.mapCreate("root", new MapCreate(MapCreate.LWW, Map.of()));
        List<List<ObjectMessage>> pages =
                ObjectSyncPages.split(List.of(map("root", entries, create), counter("counter:a@1")), 100, 100);

        assertThat(pages).hasSize(4);
        assertThat(pages).allSatisfy(p -> assertThat(bytes(p)).isLessThanOrEqualTo(100));
        Map<String, MapEntry> merged = new LinkedHashMap<>();
        int parts = 0;
        for (List<ObjectMessage> page : pages) {
            for (ObjectMessage m : page) {
                ObjectState s = m.object();
                if (!s.objectId().equals("root")) {
                    continue;
                }
                assertThat(s.siteTimeserials()).containsEntry("herald", "s1");
                assertThat(s.map().clearTimeserial()).isEqualTo("c1");
                assertThat(s.createOp()).isEqualTo(parts == 0 ? create : null);
                for (var e : s.map().entries().entrySet()) {
                    assertThat(merged.put(e.getKey(), e.getValue())).isNull();
                }
                parts++;
            }
        }
        assertThat(parts).isEqualTo(3);
        assertThat(merged).isEqualTo(entries);
        // the small entry shares the last part, and the counter the last page
        assertThat(pages.get(2).get(0).object().map().entries()).containsOnlyKeys("largeKey3", "small");
        assertThat(pages.get(3).get(0).object().objectId()).isEqualTo("counter:a@1");
    }

    @Test
    void anEntryLargerThanThePage_goesAlone() {
        Map<String, MapEntry> entries = new LinkedHashMap<>();
        entries.put("a", text(5));
        entries.put("huge", text(500));
        entries.put("b", text(5));
        List<List<ObjectMessage>> pages = ObjectSyncPages.split(List.of(map("root", entries)), 100, 100);
        assertThat(pages)
                .extracting(p -> p.get(0).object().map().entries().keySet())
                .containsExactly(java.util.Set.of("a"), java.util.Set.of("huge"), java.util.Set.of("b"));
    }
}

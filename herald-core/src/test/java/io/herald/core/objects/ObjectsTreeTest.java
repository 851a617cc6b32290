package io.herald.core.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.internal.AblyException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ObjectsTreeTest {
    private static final String COUNTER = "counter:abc@1";
    private static final String MAP = "map:def@1";
    private static final String DELETED = "map:gone@1";

    private final ObjectsState pool = new ObjectsState(ObjectsLimits.DEFAULTS);
    private int serial;

    private void apply(ObjectOperation op) {
        pool.check(List.of(op));
        String s = String.format("s-%04d", ++serial);
        pool.apply(ObjectMessage.ofOperation(op).stamped("id:" + s, null, "c", 1000, s, "site"));
    }

    private ObjectsTree tree() {
        apply(ObjectOperation.counterCreate(COUNTER, 10));
        apply(ObjectOperation.counterInc(COUNTER, 5));
        apply(ObjectOperation.mapCreate(
                MAP, new MapCreate(MapCreate.LWW, Map.of("s", MapEntry.of(ObjectData.ofString("x"), null)))));
        apply(ObjectOperation.mapSet(ObjectId.ROOT, "counter", ObjectData.reference(COUNTER)));
        apply(ObjectOperation.mapSet(ObjectId.ROOT, "map", ObjectData.reference(MAP)));
        apply(ObjectOperation.mapSet(MAP, "back", ObjectData.reference(ObjectId.ROOT)));
        apply(ObjectOperation.mapSet(MAP, "json", ObjectData.ofJson("{\"a\":1}")));
        apply(ObjectOperation.mapSet(MAP, "bytes", ObjectData.ofBytes(new byte[] {1, 2, 3})));
        apply(ObjectOperation.mapSet(ObjectId.ROOT, "gone", ObjectData.reference(DELETED)));
        apply(ObjectOperation.delete(DELETED));
        apply(ObjectOperation.mapSet(ObjectId.ROOT, "removed", ObjectData.ofNumber(1)));
        apply(ObjectOperation.mapRemove(ObjectId.ROOT, "removed"));
        return ObjectsTree.of(pool.snapshot());
    }

    @Test
    void compact_showsValuesCountersAsNumbersJsonAsTextAndCyclesByReference() {
        JsonNode root = tree().compact(new ObjectsTree.Node(ObjectId.ROOT, null));
        assertThat(root.get("counter").asInt()).isEqualTo(15);
        assertThat(root.get("map").get("s").asText()).isEqualTo("x");
        assertThat(root.get("map").get("json").isTextual()).isTrue();
        assertThat(root.get("map").get("json").asText()).isEqualTo("{\"a\":1}");
        assertThat(root.get("map").get("bytes").isBinary()).isTrue();
        assertThat(root.get("map").get("back").get("objectId").asText()).isEqualTo(ObjectId.ROOT);
        assertThat(root.has("gone")).as("a deleted object is left out").isFalse();
        assertThat(root.has("removed")).as("a removed entry is left out").isFalse();
    }

    @Test
    void full_showsIdsSemanticsAndWireValues() {
        JsonNode root = tree().full(new ObjectsTree.Node(ObjectId.ROOT, null));
        assertThat(root.get("objectId").asText()).isEqualTo(ObjectId.ROOT);
        assertThat(root.at("/map/semantics").asText()).isEqualTo("LWW");
        assertThat(root.at("/map/entries/counter/data/counter/data/number").asInt())
                .isEqualTo(15);
        assertThat(root.at("/map/entries/map/data/map/entries/s/data/string").asText())
                .isEqualTo("x");
        assertThat(root.at("/map/entries/map/data/map/entries/json/data/json").asText())
                .isEqualTo("{\"a\":1}");
        JsonNode back = root.at("/map/entries/map/data/map/entries/back/data");
        assertThat(back.get("objectId").asText()).isEqualTo(ObjectId.ROOT);
        assertThat(back.has("map")).isFalse();
    }

    @Test
    void resolve_followsKeysToObjectsAndLeaves() {
        ObjectsTree t = tree();
        assertThat(t.resolve(ObjectId.ROOT, ObjectPath.parse("map")).objectId()).isEqualTo(MAP);
        assertThat(t.resolve(ObjectId.ROOT, ObjectPath.parse("map.s")).leaf()).isEqualTo(ObjectData.ofString("x"));
        assertThat(t.resolve(MAP, ObjectPath.parse("back.counter")).objectId()).isEqualTo(COUNTER);
        assertThat(t.resolve(ObjectId.ROOT, ObjectPath.parse("")).objectId()).isEqualTo(ObjectId.ROOT);
        assertThat(t.compact(t.resolve(ObjectId.ROOT, ObjectPath.parse("counter")))
                        .asInt())
                .isEqualTo(15);
    }

    @Test
    void resolve_refusesUnknownIdsMissingKeysAndWildcards() {
        ObjectsTree t = tree();
        assertThatThrownBy(() -> t.resolve("nope", ObjectPath.parse("")))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(92004));
        assertThatThrownBy(() -> t.resolve(DELETED, ObjectPath.parse("")))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(92004));
        assertThatThrownBy(() -> t.resolve(ObjectId.ROOT, ObjectPath.parse("map.s.deeper")))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(92005));
        assertThatThrownBy(() -> t.resolve(ObjectId.ROOT, ObjectPath.parse("removed")))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(92005));
        assertThatThrownBy(() -> t.resolve(ObjectId.ROOT, ObjectPath.parse("*")))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40003));
    }

    @Test
    void match_expandsWildcardsOneLevel() {
        ObjectsTree t = tree();
        List<ObjectsTree.Node> all = t.match(ObjectId.ROOT, ObjectPath.parse("*"));
        assertThat(all).extracting(ObjectsTree.Node::objectId).containsExactly(COUNTER, MAP);
        List<ObjectsTree.Node> under = t.match(ObjectId.ROOT, ObjectPath.parse("map.*"));
        assertThat(under).hasSize(4); // s, back (root), json, bytes
        assertThat(t.match(ObjectId.ROOT, ObjectPath.parse("nope.*"))).isEmpty();
    }

    @Test
    void deepChains_endInReferencesInsteadOfRecursingWithoutBound() {
        String parent = ObjectId.ROOT;
        for (int i = 0; i < ObjectsTree.MAX_DEPTH + 50; i++) {
            String child = "map:deep" + i + "@1";
            apply(ObjectOperation.mapSet(parent, "next", ObjectData.reference(child)));
            parent = child;
        }
        ObjectsTree t = ObjectsTree.of(pool.snapshot());
        JsonNode n = t.compact(new ObjectsTree.Node(ObjectId.ROOT, null));
        int depth = 0;
        while (n.has("next")) {
            n = n.get("next");
            depth++;
        }
        assertThat(depth).isEqualTo(ObjectsTree.MAX_DEPTH);
        assertThat(n.has("objectId")).isTrue();
        assertThat(t.full(new ObjectsTree.Node(ObjectId.ROOT, null)).toString()).contains("\"objectId\"");
    }

    @Test
    void paths_splitOnDotsHonourEscapesAndWildcards() {
        ObjectPath p = ObjectPath.parse("posts.post\\.123.*.\\*");
        assertThat(p.segments())
                .containsExactly(
                        new ObjectPath.Segment("posts", false),
                        new ObjectPath.Segment("post.123", false),
                        new ObjectPath.Segment("*", true),
                        new ObjectPath.Segment("*", false));
        assertThat(p.hasWildcard()).isTrue();
        assertThat(p.toString()).isEqualTo("posts.post\\.123.*.\\*");
        assertThat(ObjectPath.parse("").isEmpty()).isTrue();
        assertThat(ObjectPath.parse("a..b").segments()).hasSize(3);
        assertThatThrownBy(() -> ObjectPath.parse("a\\"))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40003));
        assertThatThrownBy(() -> ObjectPath.parse("a.".repeat(ObjectPath.MAX_SEGMENTS + 1)))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40003));
        assertThatThrownBy(() -> ObjectPath.parse("x".repeat(ObjectPath.MAX_LENGTH + 1)))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40003));
    }
}

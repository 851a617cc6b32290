package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.internal.AblyException;
import io.herald.core.objects.ObjectAction;
import io.herald.core.objects.ObjectData;
import io.herald.core.objects.ObjectId;
import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectOperation;
import io.herald.core.objects.ObjectsLimits;
import io.herald.core.objects.ObjectsState;
import io.herald.core.objects.ObjectsTree;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class ObjectOpsPlannerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String C1 = "counter:one@1";
    private static final String C2 = "counter:two@1";
    private static final String M1 = "map:one@1";

    private final ObjectsState pool = new ObjectsState(ObjectsLimits.DEFAULTS);
    private int serial;

    private void apply(List<ObjectOperation> ops) {
        pool.check(ops);
        for (ObjectOperation op : ops) {
            String s = String.format("s-%04d", ++serial);
            pool.apply(ObjectMessage.ofOperation(op).stamped("id:" + s, null, "c", 1000, s, "site"));
        }
    }

    private ObjectsTree tree() {
        apply(List.of(
                ObjectOperation.mapSet(ObjectId.ROOT, "a", ObjectData.reference(C1)),
                ObjectOperation.mapSet(ObjectId.ROOT, "b", ObjectData.reference(C2)),
                ObjectOperation.mapSet(ObjectId.ROOT, "m", ObjectData.reference(M1)),
                ObjectOperation.mapSet(ObjectId.ROOT, "v", ObjectData.ofString("x"))));
        return ObjectsTree.of(pool.snapshot());
    }

    private static ObjectOpsParser.Op op(String json) throws Exception {
        return ObjectOpsParser.parse(JSON.readTree(json.replace('\'', '"'))).get(0);
    }

    private static int code(Throwable t) {
        return ((AblyException) t).error().code();
    }

    @Test
    void aCreateGetsAnIdDerivedFromItsInitialValueThatThePoolAccepts() throws Exception {
        ObjectOpsPlanner.Planned p = ObjectOpsPlanner.plan(op("{'counterCreate':{'count':4}}"), null, 1234);
        assertThat(p.operations()).hasSize(1);
        ObjectOperation create = p.operations().get(0);
        assertThat(create.objectId()).startsWith("counter:").endsWith("@1234");
        assertThat(create.initialValue()).isEqualTo("{\"count\":4}");
        assertThat(p.objectIds()).containsExactly(create.objectId());
        apply(p.operations()); // check() verifies the id against initialValue and nonce
        assertThat(ObjectsTree.count(pool.state(create.objectId()))).isEqualTo(4);
        ObjectOperation again = ObjectOpsPlanner.plan(op("{'counterCreate':{'count':4}}"), null, 1234)
                .operations()
                .get(0);
        assertThat(again.objectId()).as("a fresh nonce each time").isNotEqualTo(create.objectId());
    }

    @Test
    void aCreateAtAPathIsAlsoSetAtThatKey() throws Exception {
        ObjectOpsPlanner.Planned p =
                ObjectOpsPlanner.plan(op("{'path':'m.inner','mapCreate':{'semantics':0}}"), tree(), 1);
        assertThat(p.operations())
                .extracting(ObjectOperation::action)
                .containsExactly(ObjectAction.MAP_CREATE, ObjectAction.MAP_SET);
        ObjectOperation set = p.operations().get(1);
        assertThat(set.objectId()).isEqualTo(M1);
        assertThat(set.key()).isEqualTo("inner");
        assertThat(set.value()).isEqualTo(ObjectData.reference(p.objectIds().get(0)));
    }

    @Test
    void pathsResolveToObjectsOfTheRightType() throws Exception {
        ObjectsTree t = tree();
        assertThat(ObjectOpsPlanner.plan(op("{'path':'a','counterInc':{'number':1}}"), t, 1)
                        .objectIds())
                .containsExactly(C1);
        assertThat(ObjectOpsPlanner.plan(op("{'path':'*','counterInc':{'number':1}}"), t, 1)
                        .objectIds())
                .as("a wildcard takes the counters only")
                .containsExactly(C1, C2);
        assertThat(ObjectOpsPlanner.plan(op("{'path':'','mapRemove':{'key':'v'}}"), t, 1)
                        .objectIds())
                .containsExactly(ObjectId.ROOT);
        assertThatThrownBy(() -> ObjectOpsPlanner.plan(op("{'path':'m','counterInc':{'number':1}}"), t, 1))
                .satisfies(e -> assertThat(code(e)).isEqualTo(92007));
        assertThatThrownBy(() -> ObjectOpsPlanner.plan(op("{'path':'v','counterInc':{'number':1}}"), t, 1))
                .satisfies(e -> assertThat(code(e)).isEqualTo(92007));
        assertThatThrownBy(() -> ObjectOpsPlanner.plan(op("{'path':'zz','counterInc':{'number':1}}"), t, 1))
                .satisfies(e -> assertThat(code(e)).isEqualTo(92005));
        assertThatThrownBy(() -> ObjectOpsPlanner.plan(op("{'path':'m.*','counterInc':{'number':1}}"), t, 1))
                .satisfies(e -> assertThat(code(e)).isEqualTo(92005));
        assertThatThrownBy(() -> ObjectOpsPlanner.plan(op("{'path':'m.*','counterCreate':{}}"), t, 1))
                .satisfies(e -> assertThat(code(e)).isEqualTo(92007));
    }

    @Test
    void recentIds_answerRepeatsWithTheFirstResultAndForgetFailures() {
        RecentObjectOps recent = new RecentObjectOps();
        String key = RecentObjectOps.key("app", "ch", "id-1");
        CompletableFuture<RecentObjectOps.Result> first = new CompletableFuture<>();
        assertThat(recent.claim(key, 0, first)).isNull();
        assertThat(recent.claim(key, 10, new CompletableFuture<>())).isSameAs(first);
        assertThat(recent.claim(RecentObjectOps.key("app", "other", "id-1"), 10, new CompletableFuture<>()))
                .as("ids are per channel")
                .isNull();
        recent.release(key, first);
        CompletableFuture<RecentObjectOps.Result> retry = new CompletableFuture<>();
        assertThat(recent.claim(key, 20, retry)).isNull();
        long later = 20 + RecentObjectOps.WINDOW.toMillis();
        assertThat(recent.claim(key, later, new CompletableFuture<>()))
                .as("forgotten after the window")
                .isNull();
    }
}

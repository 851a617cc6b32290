package io.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ObjectsRequest;
import io.herald.core.engine.ObjectsSnapshot;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.objects.ObjectData;
import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectMessages;
import io.herald.core.objects.ObjectOperation;
import io.herald.core.objects.ObjectState;
import io.herald.core.testing.Eventually;
import io.herald.protocol.Action;
import io.herald.protocol.ProtocolMessage;
import io.herald.redis.testing.Node;
import io.herald.redis.testing.RedisServerProcess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** Several Redis engines share each channel's LiveObjects: concurrent operations through any node converge. */
@Tag("redis") // starts redis-server: not in ./herald test --fast
class RedisObjectsNodesTest {
    private static final Duration RETENTION = Duration.ofMinutes(2);
    private static final String COUNTER = "counter:shared@1";
    private static RedisServerProcess redis;
    private final List<Node> nodes = new ArrayList<>();
    private final AtomicInteger batches = new AtomicInteger();
    private ChannelId ch;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void channel() {
        ch = new ChannelId("app" + UUID.randomUUID().toString().substring(0, 8), "objects");
    }

    @AfterEach
    void closeNodes() {
        nodes.forEach(Node::close);
    }

    private Node node(String id) {
        Node n = new Node(id, redis.uri());
        nodes.add(n);
        return n;
    }

    private CompletableFuture<PublishOutcome> apply(Node n, ObjectOperation... ops) {
        ProtocolMessage pm = new ProtocolMessage(Action.OBJECT);
        pm.channel = ch.name();
        pm.id = n.id + ":" + batches.incrementAndGet();
        pm.connectionId = n.id;
        pm.timestamp = System.currentTimeMillis();
        List<ObjectMessage> ms = new ArrayList<>();
        for (ObjectOperation op : ops) {
            ms.add(ObjectMessage.ofOperation(op));
        }
        return n.engine
                .objects()
                .apply(new ObjectsRequest(ch, pm, ms, RETENTION))
                .toCompletableFuture();
    }

    /** A snapshot as objectId -> its state's JSON, so two pools compare whole. */
    private Map<String, String> snapshot(Node n) throws Exception {
        ObjectsSnapshot s = Eventually.result(n.engine.objects().snapshot(ch));
        Map<String, String> out = new TreeMap<>();
        for (ObjectMessage m : s.objects()) {
            ObjectState o = java.util.Objects.requireNonNull(m.object());
            out.put(o.objectId(), ObjectMessages.writeState(o).toString());
        }
        return out;
    }

    private static ObjectState object(ObjectsSnapshot s, String id) {
        return s.objects().stream()
                .map(ObjectMessage::object)
                .filter(o -> o != null && o.objectId().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void concurrentOperationsThroughTwoNodesConverge_andLateNodesSyncTheWholeState() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Eventually.result(apply(a, ObjectOperation.counterCreate(COUNTER, 5)));
        List<CompletableFuture<PublishOutcome>> all = new ArrayList<>();
        int perNode = 40;
        for (int i = 0; i < perNode; i++) {
            for (Node n : List.of(a, b)) {
                all.add(apply(
                        n,
                        ObjectOperation.mapSet("root", n.id + i, ObjectData.ofNumber(i)),
                        ObjectOperation.mapSet("root", "last", ObjectData.ofString(n.id + i)),
                        ObjectOperation.counterInc(COUNTER, 1)));
            }
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
        Eventually.result(apply(b, ObjectOperation.mapRemove("root", "a0")));

        Map<String, String> fromA = snapshot(a);
        assertThat(snapshot(b)).isEqualTo(fromA);
        ObjectsSnapshot s = Eventually.result(a.engine.objects().snapshot(ch));
        ObjectState counter = object(s, COUNTER);
        assertThat(counter.counterCount()).isEqualTo(2.0 * perNode);
        assertThat(counter.createOp().number()).isEqualTo(5.0);
        ObjectState root = object(s, "root");
        assertThat(root.map().entries()).containsKeys("a39", "b39", "last");
        assertThat(root.map().entries().get("a0").tombstone()).isTrue();
        // every serial is distinct: the applies were ordered by Redis, not by either node
        List<String> serials = new ArrayList<>();
        for (CompletableFuture<PublishOutcome> f : all) {
            serials.addAll(f.join().serials());
        }
        assertThat(serials).doesNotHaveDuplicates().hasSize(perNode * 2 * 3);
        // the OBJECT events are in the log, but neither history shows them
        for (io.herald.core.engine.HistoryQuery.Kind kind : io.herald.core.engine.HistoryQuery.Kind.values()) {
            assertThat(Eventually.result(b.engine
                                    .history()
                                    .query(
                                            ch,
                                            new io.herald.core.engine.HistoryQuery(
                                                    kind, null, null, 100, true, null, null)))
                            .items())
                    .as(kind.name())
                    .isEmpty();
        }
        assertThat(Eventually.result(b.engine.broker().position(ch)).seq()).isEqualTo(2L * perNode + 2);

        // a node started after the operations reads them all
        Node late = node("late");
        assertThat(snapshot(late)).isEqualTo(fromA);

        // b compacts; more operations follow; a node started after that syncs state + operations
        assertThat(Eventually.result(((RedisObjects) b.engine.objects()).compact(ch)))
                .isTrue();
        assertThat(Eventually.result(((RedisObjects) a.engine.objects()).compact(ch)))
                .as("a compaction that covers no more operations than the stored one changes nothing")
                .isFalse();
        Eventually.result(apply(a, ObjectOperation.counterInc(COUNTER, 10)));
        Eventually.result(apply(late, ObjectOperation.mapSet("root", "after", ObjectData.ofBoolean(true))));
        Node later = node("later");
        Map<String, String> fromLater = snapshot(later);
        assertThat(fromLater).isEqualTo(snapshot(a)).isEqualTo(snapshot(b)).isEqualTo(snapshot(late));
        assertThat(object(Eventually.result(later.engine.objects().snapshot(ch)), COUNTER)
                        .counterCount())
                .isEqualTo(2.0 * perNode + 10);
    }

    @Test
    void aNodeCompactsOnItsOwn_andANodeBehindTheCompactionStartsFromIt() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Eventually.result(b.engine.objects().snapshot(ch));
        int n = RedisEngine.COMPACT_EVERY + 5;
        for (int i = 0; i < n; i++) {
            Eventually.result(apply(a, ObjectOperation.mapSet("root", "k" + (i % 7), ObjectData.ofNumber(i))));
        }
        String key = "herald:" + RedisKeys.tag(ch) + ":b";
        assertThat(Long.parseLong(redis.command("HGET", key, "b")))
                .as("operations compacted")
                .isEqualTo(RedisEngine.COMPACT_EVERY);
        assertThat(redis.command("LLEN", "herald:" + RedisKeys.tag(ch) + ":bo")).isEqualTo(":5");
        // b last looked before the compaction: it starts over from the compacted state
        assertThat(snapshot(b)).isEqualTo(snapshot(a)).isEqualTo(snapshot(node("late")));
    }

    @Test
    void aBatchIsCheckedAgainstOperationsAnotherNodeApplied() throws Exception {
        Node a = node("a");
        Node b = node("b");
        // b's pool has not seen the counter yet; a deletes it
        Eventually.result(apply(a, ObjectOperation.counterCreate(COUNTER, 1)));
        Eventually.result(b.engine.objects().snapshot(ch));
        Eventually.result(apply(a, ObjectOperation.delete(COUNTER)));
        CompletableFuture<PublishOutcome> refused = apply(b, ObjectOperation.counterInc(COUNTER, 1));
        assertThat(refused)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableThat()
                .havingRootCause()
                .isInstanceOf(io.herald.core.internal.AblyException.class)
                .withMessageContaining("deleted");
    }

    @Test
    void afterTheLogIsLost_newOperationsStillWin() throws Exception {
        Node a = node("a");
        Node b = node("b");
        Eventually.result(apply(a, ObjectOperation.mapSet("root", "k", ObjectData.ofString("old"))));
        String epoch = Eventually.result(apply(a, ObjectOperation.counterInc(COUNTER, 2)))
                .serial()
                .epoch();
        // the log and its state expire (nobody used the channel for longer than their ttl): a new epoch starts,
        // whose random name may sort before the old one; lose the log until one does
        String tag = RedisKeys.tag(ch);
        String previous = epoch;
        String value = "old";
        boolean sortedLower = false;
        for (int i = 0; i < 30 && !sortedLower; i++) {
            redis.command("DEL", "herald:" + tag + ":s", "herald:" + tag + ":l");
            value = "new" + i;
            PublishOutcome o =
                    Eventually.result(apply(b, ObjectOperation.mapSet("root", "k", ObjectData.ofString(value))));
            assertThat(o.serial().epoch()).isNotEqualTo(previous);
            sortedLower = o.serial().epoch().compareTo(previous) < 0;
            previous = o.serial().epoch();
        }
        assertThat(sortedLower)
                .as("a new epoch that sorts before the previous one")
                .isTrue();
        Eventually.result(apply(a, ObjectOperation.counterInc(COUNTER, 3)));
        Node late = node("late");
        for (Node n : List.of(a, b, late)) {
            ObjectsSnapshot s = Eventually.result(n.engine.objects().snapshot(ch));
            assertThat(object(s, "root").map().entries().get("k").data().string())
                    .as(n.id)
                    .isEqualTo(value);
            assertThat(object(s, COUNTER).counterCount()).as(n.id).isEqualTo(5.0);
        }
        assertThat(snapshot(a)).isEqualTo(snapshot(b)).isEqualTo(snapshot(late));
    }
}

package io.herald.core.engine.memory;

import static io.herald.core.testing.TestEvents.messages;
import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The in-memory history is bounded node-wide: more traffic than the budget holds shortens the history (oldest events
 * first, on the channels being published to) instead of filling the heap, and what is kept is still the newest,
 * contiguous part of every channel.
 */
class MemoryHistoryBudgetTest {
    private static final long BUDGET = 2_000_000;
    private MemoryEngine engine;

    private MemoryEngine start(long budget) {
        Limits limits = Limits.DEFAULTS.withMaxHistoryBytes(budget);
        engine = new MemoryEngine(new EngineContext(
                new CoreConfig("test", limits, Timings.DEFAULTS, false, List.of()),
                Clock.systemUTC(),
                "node-1",
                Map.of()));
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {}

            @Override
            public void onRevocation(Revocation revocation) {}
        });
        return engine;
    }

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
    }

    private void publish(ChannelId ch, String data) throws Exception {
        engine.broker()
                .publish(new PublishRequest(ch, messages(ch.name(), data), Duration.ofMinutes(2), false))
                .toCompletableFuture()
                .get();
    }

    private List<String> history(ChannelId ch) throws Exception {
        HistoryPage page = engine.history()
                .query(ch, new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 1000, true, null, null))
                .toCompletableFuture()
                .get();
        List<String> out = new ArrayList<>();
        for (HistoryItem item : page.items()) {
            out.add((String) ((Message) item.item()).data);
        }
        return out;
    }

    @Test
    void publish_moreThanTheBudget_historyStaysWithinItAndKeepsTheNewestOfEveryChannel() throws Exception {
        start(BUDGET);
        String kib = "x".repeat(1024);
        List<ChannelId> channels = new ArrayList<>();
        for (int c = 0; c < 20; c++) {
            channels.add(new ChannelId("app", "ch" + c));
        }
        long published = 0;
        for (int i = 0; i < 600; i++) {
            for (ChannelId ch : channels) {
                publish(ch, i + ":" + kib);
                published += kib.length() + EventLog.INDEX_BYTES; // at least what each event counts
            }
        }
        assertThat(published).as("the test publishes well over the budget").isGreaterThan(5 * BUDGET);
        assertThat(engine.historyBytes()).isLessThanOrEqualTo(BUDGET);
        assertThat(engine.historyEvicted()).isPositive();
        for (ChannelId ch : channels) {
            List<String> h = history(ch);
            assertThat(h).isNotEmpty();
            int first = Integer.parseInt(h.get(0).substring(0, h.get(0).indexOf(':')));
            for (int k = 0; k < h.size(); k++) {
                assertThat(h.get(k)).startsWith((first + k) + ":");
            }
            assertThat(h.get(h.size() - 1)).startsWith("599:");
        }
    }

    /**
     * Once over the budget, a publish evicts down to a little under it (1/1024 of the budget), so a node held at the
     * budget evicts once per that much traffic rather than on every publish: the over-budget path stays rare.
     */
    @Test
    void publish_atTheBudget_evictsBelowItSoTheNextPublishesDoNot() throws Exception {
        long budget = 4L << 20;
        long slack = budget >> MemoryEngine.EVICTION_SLACK_SHIFT;
        start(budget);
        ChannelId ch = new ChannelId("app", "steady");
        String hundred = "y".repeat(100);
        int i = 0;
        while (engine.historyEvicted() == 0) {
            publish(ch, i++ + ":" + hundred);
            assertThat(i).as("the budget is reached").isLessThan(1_000_000);
        }
        assertThat(engine.historyBytes()).isLessThanOrEqualTo(budget - slack);
        long evictions = engine.historyEvicted();
        long before = engine.historyBytes();
        publish(ch, i++ + ":" + hundred);
        long event = engine.historyBytes() - before; // what one more event counts
        int quiet = 1;
        while (engine.historyBytes() + 2 * event < budget) {
            publish(ch, i++ + ":" + hundred);
            quiet++;
        }
        assertThat(engine.historyEvicted())
                .as("no eviction while under the budget")
                .isEqualTo(evictions);
        assertThat(quiet).as("publishes between two evictions").isGreaterThanOrEqualTo((int) (slack / event) - 2);
    }

    @Test
    void publish_withinTheBudget_keepsEverything() throws Exception {
        start(BUDGET);
        ChannelId ch = new ChannelId("app", "small");
        for (int i = 0; i < 100; i++) {
            publish(ch, i + ":data");
        }
        assertThat(history(ch)).hasSize(100);
        assertThat(engine.historyEvicted()).isZero();
        assertThat(engine.historyBytes()).isPositive();
    }

    @Test
    void defaultBudget_isAQuarterOfTheMaximumHeap() {
        assertThat(Limits.DEFAULTS.maxHistoryBytes()).isZero();
        assertThat(Limits.DEFAULTS.historyBudgetBytes())
                .isEqualTo(Runtime.getRuntime().maxMemory() / 4);
    }

    /**
     * Messages whose weight is in the fields a flat estimate misses: extras of thousands of empty objects (small on
     * the wire, large on the heap), a long id, encoding, version and annotations. Decoded by the real codec, as a
     * connection's frames are. The engine must count what they really keep alive: its accounted bytes stay within
     * the budget and the heap the history holds, measured, stays near it.
     */
    @Test
    void publish_adversarialFields_accountedAndHeldHeapStayWithinTheBudget() throws Exception {
        long budget = 1_000_000;
        start(budget);
        java.lang.management.MemoryMXBean mx = java.lang.management.ManagementFactory.getMemoryMXBean();
        long before = usedHeapAfterGc(mx);
        String empties = "{},".repeat(6_000) + "{}";
        ChannelId ch = new ChannelId("app", "adversarial");
        for (int i = 0; i < 150; i++) {
            String frame = "{\"action\":15,\"channel\":\"adversarial\",\"messages\":[{\"id\":\"" + "i".repeat(4_000) + i
                    + "\",\"encoding\":\"" + "e".repeat(4_000) + "\",\"data\":\"d\",\"extras\":{\"headers\":{\"x\":["
                    + empties + "]}},\"version\":{\"serial\":\"" + "v".repeat(4_000)
                    + "\"},\"annotations\":{\"summary\":{\"s\":\""
                    + "a".repeat(4_000) + "\"}}}]}";
            ProtocolMessage pm = io.herald.protocol.ProtocolCodec.of(io.herald.protocol.Format.JSON)
                    .decode(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            pm.connectionId = "conn1";
            pm.id = "conn1:" + i;
            engine.broker()
                    .publish(new PublishRequest(ch, pm, Duration.ofMinutes(2), false))
                    .toCompletableFuture()
                    .get();
        }
        long held = usedHeapAfterGc(mx) - before;
        assertThat(engine.historyBytes()).isLessThanOrEqualTo(budget);
        assertThat(engine.historyEvicted()).isPositive();
        assertThat(held)
                .as("heap the history holds (measured after GC) against a %d-byte budget", budget)
                .isLessThan(4 * budget + 4_000_000);
    }

    private static long usedHeapAfterGc(java.lang.management.MemoryMXBean mx) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, mx.getHeapMemoryUsage().getUsed());
        }
        return used;
    }
}

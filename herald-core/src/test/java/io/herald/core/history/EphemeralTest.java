package io.herald.core.history;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
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
import io.herald.core.engine.Replay;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.testing.MutableClock;
import io.herald.protocol.Action;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Ephemeral messages ({@code extras.ephemeral: true}) are left out of history over a real in-memory log: pages are
 * still full, in both directions, and end where the last stored message is.
 */
class EphemeralTest {
    private final MemoryEngine engine = new MemoryEngine(new EngineContext(
            new CoreConfig("test", Limits.DEFAULTS, Timings.DEFAULTS, false, List.of()),
            new MutableClock(1_800_000_000_000L),
            "n1",
            Map.of()));
    private final ChannelId ch = new ChannelId("app", "room");

    EphemeralTest() {
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {}

            @Override
            public void onRevocation(Revocation revocation) {}
        });
    }

    @AfterEach
    void close() {
        engine.close();
    }

    private void publish(String data, boolean ephemeral) {
        Message m = new Message("n", data);
        m.id = data;
        if (ephemeral) {
            m.extras = JsonNodeFactory.instance.objectNode().put("ephemeral", true);
        }
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, ch.name());
        pm.messages = new ArrayList<>(List.of(m));
        engine.broker()
                .publish(new PublishRequest(ch, pm, Duration.ofMinutes(2), false))
                .toCompletableFuture()
                .join();
    }

    private List<List<String>> pages(boolean forwards) {
        List<List<String>> out = new ArrayList<>();
        HistoryQuery.Cursor cursor = null;
        while (true) {
            HistoryQuery q = new HistoryQuery(HistoryQuery.Kind.MESSAGES, null, null, 2, forwards, null, cursor);
            HistoryPage page = Ephemeral.query(engine.history(), ch, q)
                    .toCompletableFuture()
                    .join();
            List<String> data = new ArrayList<>();
            for (HistoryItem i : page.items()) {
                data.add((String) ((Message) i.item()).data);
            }
            out.add(data);
            if (!page.hasMore() || page.items().isEmpty()) {
                return out;
            }
            cursor = page.items().get(page.items().size() - 1).cursor();
        }
    }

    @Test
    void history_leavesOutEphemeralMessages_pagesStayFull() {
        publish("typing-1", true);
        publish("a", false);
        publish("typing-2", true);
        publish("typing-3", true);
        publish("b", false);
        publish("c", false);
        publish("typing-4", true);

        assertThat(pages(true)).containsExactly(List.of("a", "b"), List.of("c"));
        assertThat(pages(false)).containsExactly(List.of("c", "b"), List.of("a"));
    }

    @Test
    void rewind_leavesOutEphemeralMessages() {
        publish("a", false);
        publish("typing-1", true);
        publish("b", false);
        Replay r = Ephemeral.withoutEphemeral(
                engine.history().rewind(ch, 10, 0).toCompletableFuture().join());
        List<Object> data = new ArrayList<>();
        r.events().forEach(e -> e.message().messages.forEach(m -> data.add(m.data)));
        assertThat(data).containsExactly("a", "b");
    }

    @Test
    void isEphemeral_onlyWithExtrasEphemeralTrue() {
        Message m = new Message("n", "d");
        assertThat(Ephemeral.is(m)).isFalse();
        m.extras = JsonNodeFactory.instance.objectNode().put("ephemeral", false);
        assertThat(Ephemeral.is(m)).isFalse();
        m.extras = JsonNodeFactory.instance.objectNode().put("ephemeral", true);
        assertThat(Ephemeral.is(m)).isTrue();
        assertThat(Ephemeral.is(null)).isFalse();
    }
}

package io.herald.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.protocol.Action;
import io.herald.protocol.ProtocolMessage;
import org.junit.jupiter.api.Test;

/** An OBJECT event's object messages count toward the history budget like any message field. */
class ObjectEventSizeTest {
    @Test
    void objectEvent_retainedBytes_countItsState() {
        ProtocolMessage pm = ProtocolMessage.of(Action.OBJECT, "things");
        long empty = new ChannelEvent(new ChannelId("a", "things"), new ChannelSerial("e", 1), pm).retainedBytes();
        ArrayNode state = JsonNodeFactory.instance.arrayNode();
        state.addObject()
                .putObject("operation")
                .put("action", 1)
                .put("objectId", "root")
                .putObject("mapSet")
                .put("key", "k")
                .putObject("value")
                .put("string", "x".repeat(60_000));
        pm.state = state;
        long big = new ChannelEvent(new ChannelId("a", "things"), new ChannelSerial("e", 1), pm).retainedBytes();
        assertThat(big - empty).isGreaterThan(3 * 60_000L);
    }
}

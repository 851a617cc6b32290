package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a message is counted as against maxMessageSize ({@link MessageSizes#wire}): every field a client can fill
 * counts, so none of them carries bytes past the limit.
 */
class MessageSizesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @Test
    void wire_countsEveryMessageField_asUtf8Bytes() throws Exception {
        Message m = new Message("näme", "dätä");
        assertThat(m.size()).isEqualTo(5 + 6);

        String[] stringFields = {"id", "clientId", "connectionId", "connectionKey", "encoding", "serial"};
        long before = MessageSizes.wire(m);
        for (String field : stringFields) {
            Message.class.getField(field).set(m, "€€");
            long after = MessageSizes.wire(m);
            assertThat(after - before).as(field).isEqualTo(6);
            before = after;
        }
        for (String field : new String[] {"extras", "version", "annotations"}) {
            JsonNode tree = JSON.readTree("{\"k\":\"" + "x".repeat(100) + "\"}");
            Message.class.getField(field).set(m, tree);
            long after = MessageSizes.wire(m);
            assertThat(after - before).as(field).isEqualTo(tree.toString().getBytes(StandardCharsets.UTF_8).length);
            before = after;
        }
    }

    @Test
    void wire_countsDataByKind() {
        assertThat(new Message(null, new byte[1234]).size()).isEqualTo(1234);
        assertThat(new Message(null, "😀").size())
                .as("a surrogate pair is 4 UTF-8 bytes")
                .isEqualTo(4);
        assertThat(new Message(null, "\ud800x").size())
                .as("a lone surrogate counts as 3")
                .isEqualTo(4);
        assertThat(new Message(null, NODES.objectNode().put("a", 1)).size()).isEqualTo("{\"a\":1}".length());
        assertThat(new Message(null, null).size()).isZero();
    }

    @Test
    void wire_countsEveryPresenceField() {
        PresenceMessage p = new PresenceMessage();
        assertThat(p.size()).isZero();
        p.id = "id1";
        p.clientId = "alice";
        p.connectionId = "conn";
        p.encoding = "utf-8";
        p.extras = NODES.objectNode().put("x", "y");
        p.data = new byte[10];
        assertThat(p.size()).isEqualTo(3 + 5 + 4 + 5 + "{\"x\":\"y\"}".length() + 10);
    }

    @Test
    void size_isCappedAtIntMax_andCopiesAreShallowButComplete() {
        Message m = new Message("n", "d");
        m.id = "i";
        m.clientId = "c";
        m.connectionId = "cn";
        m.connectionKey = "ck";
        m.timestamp = 5L;
        m.encoding = "e";
        m.action = 1;
        m.serial = "s";
        m.extras = NODES.objectNode();
        m.version = NODES.objectNode();
        m.annotations = NODES.objectNode();
        Message c = m.copy();
        assertThat(c).usingRecursiveComparison().isEqualTo(m);
        assertThat(c.extras).isSameAs(m.extras);
        assertThat(c.toString()).contains("id=i", "name=n", "clientId=c", "encoding=e");

        PresenceMessage p = new PresenceMessage();
        p.action = PresenceMessage.ENTER;
        p.clientId = "alice";
        p.connectionId = "conn";
        p.timestamp = 1L;
        PresenceMessage pc = p.copy();
        assertThat(pc).usingRecursiveComparison().isEqualTo(p);
        assertThat(pc.memberKey()).isEqualTo("conn:alice");
        assertThat(pc.toString()).contains("enter", "alice@conn");
    }

    @Test
    void names_ofActionsAndFormats() {
        assertThat(PresenceMessage.actionName(PresenceMessage.ABSENT)).isEqualTo("absent");
        assertThat(PresenceMessage.actionName(PresenceMessage.PRESENT)).isEqualTo("present");
        assertThat(PresenceMessage.actionName(PresenceMessage.LEAVE)).isEqualTo("leave");
        assertThat(PresenceMessage.actionName(PresenceMessage.UPDATE)).isEqualTo("update");
        assertThat(PresenceMessage.actionName(9)).isEqualTo("unknown(9)");
        assertThat(Action.name(Action.ATTACH)).isEqualTo("ATTACH");
        assertThat(Action.name(Action.ANNOTATION)).isEqualTo("ANNOTATION");
        assertThat(Action.name(-1)).isEqualTo("UNKNOWN(-1)");
        assertThat(Action.name(99)).isEqualTo("UNKNOWN(99)");
        assertThat(Action.isKnown(Action.HEARTBEAT)).isTrue();
        assertThat(Action.isKnown(22)).isFalse();
        assertThat(Action.isKnown(-1)).isFalse();
        assertThat(Format.fromParam("MsgPack")).isEqualTo(Format.MSGPACK);
        assertThat(Format.fromParam("json")).isEqualTo(Format.JSON);
        assertThat(Format.fromParam("xml")).isNull();
        assertThat(Format.fromParam(null)).isNull();
        assertThat(Format.JSON.contentType()).isEqualTo("application/json");
        assertThat(Format.MSGPACK.contentType()).isEqualTo("application/x-msgpack");
    }
}

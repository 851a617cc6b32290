package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * What a message is counted as, against maxMessageSize ({@link MessageSizes#wire}) and against the history and queue
 * budgets ({@link MessageSizes#heap}): every field a client can fill counts, so none of them carries bytes past the
 * limits; heap estimates are never below the bytes a message carries.
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
    void heap_isNeverBelowWhatTheMessageCarries_andGrowsWithEveryTree() {
        Message m = new Message("n", "d");
        long bare = MessageSizes.heap(m);
        assertThat(bare).isGreaterThan(MessageSizes.wire(m));

        ObjectNode extras = NODES.objectNode();
        extras.put("s", "text")
                .put("i", 1)
                .put("b", true)
                .putNull("z")
                .put("big", new BigInteger("123456789012345678901234567890"))
                .put("dec", new BigDecimal("1.50000000000000000001"))
                .put("bin", new byte[300]);
        ArrayNode arr = extras.putArray("arr");
        for (int i = 0; i < 50; i++) {
            arr.add("element" + i);
        }
        m.extras = extras;
        m.version = NODES.objectNode().put("serial", "v1");
        m.annotations = NODES.objectNode().set("summary", NODES.objectNode());
        long withTrees = MessageSizes.heap(m);
        assertThat(withTrees - bare).isGreaterThan(MessageSizes.wire(m) - 2);
        assertThat(MessageSizes.tree(null)).isZero();

        Message binary = new Message(null, new byte[1000]);
        assertThat(MessageSizes.heap(binary)).isGreaterThanOrEqualTo(1000);
        Message other = new Message(null, NODES.numberNode(42));
        assertThat(MessageSizes.heap(other)).isGreaterThan(MessageSizes.heap(new Message(null, null)));
    }

    @Test
    void heap_countsNonLatin1StringsAtTwoBytesAChar() {
        assertThat(MessageSizes.str("ab".repeat(100))).isLessThan(MessageSizes.str("αβ".repeat(100)));
        assertThat(MessageSizes.str("αβ".repeat(100)) - MessageSizes.str("")).isGreaterThanOrEqualTo(400);
        assertThat(MessageSizes.str(null)).isZero();
    }

    @Test
    void presenceHeap_coversItsFields() {
        PresenceMessage p = new PresenceMessage();
        long empty = MessageSizes.heap(p);
        p.clientId = "x".repeat(1000);
        p.extras = NODES.objectNode().put("k", "v");
        p.data = "d".repeat(500);
        assertThat(MessageSizes.heap(p) - empty).isGreaterThanOrEqualTo(1500);
    }

    @Test
    void tree_deeplyNested_isWalkedWithoutRecursion() {
        ObjectNode root = NODES.objectNode();
        ObjectNode node = root;
        for (int i = 0; i < 100_000; i++) {
            node = node.putObject("c");
        }
        assertThat(MessageSizes.tree(root)).isGreaterThan(100_000L * 40);
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

package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessagePack;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/**
 * OBJECT (19) and OBJECT_SYNC (20) frames carry their object messages as the {@code state} tree in both formats
 * (docs/liveobjects.md): a {@code bytes} value is {@code bin} in msgpack and base64 text in JSON, a {@code json}
 * value stays text, and {@code objectsGCGracePeriod} rides in connectionDetails.
 */
class ObjectFramesTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ProtocolCodec JSON = ProtocolCodec.of(Format.JSON);
    private static final ProtocolCodec MSGPACK = ProtocolCodec.of(Format.MSGPACK);

    private static ProtocolMessage objectSync() {
        ProtocolMessage pm = ProtocolMessage.of(Action.OBJECT_SYNC, "things");
        pm.channelSerial = "sync1:";
        ObjectNode entry = NODES.objectNode();
        entry.putObject("data").set("bytes", NODES.binaryNode(new byte[] {1, 2, 3}));
        entry.put("timeserial", "e-000000000001:000");
        ObjectNode j = NODES.objectNode();
        j.putObject("data").put("json", "{\"a\":1}");
        ObjectNode state = NODES.objectNode();
        state.put("objectId", "root");
        state.putObject("siteTimeserials").put("herald", "e-000000000001:000");
        state.put("tombstone", false);
        ObjectNode entries = state.putObject("map").put("semantics", 0).putObject("entries");
        entries.set("b", entry);
        entries.set("j", j);
        ArrayNode arr = NODES.arrayNode();
        arr.addObject().set("object", state);
        pm.state = arr;
        return pm;
    }

    @Test
    void objectSync_json_bytesAsBase64_jsonAsText() {
        String out = new String(JSON.encode(objectSync()), StandardCharsets.UTF_8);
        assertThat(out)
                .isEqualTo("{\"action\":20,\"channel\":\"things\",\"channelSerial\":\"sync1:\",\"state\":[{\"object\":"
                        + "{\"objectId\":\"root\",\"siteTimeserials\":{\"herald\":\"e-000000000001:000\"},"
                        + "\"tombstone\":false,\"map\":{\"semantics\":0,\"entries\":{\"b\":{\"data\":{\"bytes\":\"AQID\"},"
                        + "\"timeserial\":\"e-000000000001:000\"},\"j\":{\"data\":{\"json\":\"{\\\"a\\\":1}\"}}}}}}]}");
    }

    @Test
    void objectSync_msgpack_bytesAsBin_andReadBackAsBinary() throws Exception {
        byte[] frame = MSGPACK.encode(objectSync());
        Value v;
        try (var u = MessagePack.newDefaultUnpacker(frame)) {
            v = u.unpackValue();
        }
        Value entries = v.asMapValue()
                .map()
                .get(ValueFactory.newString("state"))
                .asArrayValue()
                .get(0)
                .asMapValue()
                .map()
                .get(ValueFactory.newString("object"))
                .asMapValue()
                .map()
                .get(ValueFactory.newString("map"))
                .asMapValue()
                .map()
                .get(ValueFactory.newString("entries"));
        Value b = entries.asMapValue().map().get(ValueFactory.newString("b"));
        Value bytes = b.asMapValue()
                .map()
                .get(ValueFactory.newString("data"))
                .asMapValue()
                .map()
                .get(ValueFactory.newString("bytes"));
        assertThat(bytes.isBinaryValue()).isTrue();
        Value j = entries.asMapValue().map().get(ValueFactory.newString("j"));
        Value json = j.asMapValue()
                .map()
                .get(ValueFactory.newString("data"))
                .asMapValue()
                .map()
                .get(ValueFactory.newString("json"));
        assertThat(json.isStringValue()).isTrue();

        ProtocolMessage back = MSGPACK.decode(frame);
        assertThat(back.action).isEqualTo(Action.OBJECT_SYNC);
        assertThat(back.channelSerial).isEqualTo("sync1:");
        JsonNode data = back.state.get(0).at("/object/map/entries/b/data/bytes");
        assertThat(data.isBinary()).isTrue();
        assertThat(data.binaryValue()).containsExactly(1, 2, 3);
    }

    @Test
    void object_fromAJsonClient_keepsItsOperationAndMsgSerial() {
        String in = "{\"action\":19,\"channel\":\"things\",\"msgSerial\":3,\"state\":[{\"operation\":{\"action\":1,"
                + "\"objectId\":\"root\",\"mapSet\":{\"key\":\"k\",\"value\":{\"bytes\":\"AQID\"}}}}]}";
        ProtocolMessage pm = JSON.decode(in.getBytes(StandardCharsets.UTF_8));
        assertThat(pm.action).isEqualTo(Action.OBJECT);
        assertThat(pm.msgSerial).isEqualTo(3L);
        assertThat(pm.state.get(0).at("/operation/mapSet/value/bytes").asText()).isEqualTo("AQID");
        // and out again over msgpack: the same tree
        assertThat(MSGPACK.decode(MSGPACK.encode(pm)).state).isEqualTo(pm.state);
    }

    @Test
    void connectionDetails_objectsGcGracePeriod_bothFormats() {
        ProtocolMessage pm = new ProtocolMessage(Action.CONNECTED);
        pm.connectionDetails = new ConnectionDetails();
        pm.connectionDetails.siteCode = "herald";
        pm.connectionDetails.objectsGCGracePeriod = 86_400_000L;
        assertThat(new String(JSON.encode(pm), StandardCharsets.UTF_8))
                .isEqualTo(
                        "{\"action\":4,\"connectionDetails\":{\"siteCode\":\"herald\",\"objectsGCGracePeriod\":86400000}}");
        for (ProtocolCodec c : new ProtocolCodec[] {JSON, MSGPACK}) {
            assertThat(c.decode(c.encode(pm)).connectionDetails.objectsGCGracePeriod)
                    .isEqualTo(86_400_000L);
        }
    }

    @Test
    void connectedWithObjectFields_andAnObjectSync_areReadByAblyJava() throws Exception {
        // ably-java 1.5 knows no LiveObjects: it must skip the new fields and frames, not fail on them
        ProtocolMessage pm = new ProtocolMessage(Action.CONNECTED);
        pm.connectionId = "c1";
        pm.connectionDetails = new ConnectionDetails();
        pm.connectionDetails.connectionKey = "c1!k";
        pm.connectionDetails.siteCode = "herald";
        pm.connectionDetails.objectsGCGracePeriod = 86_400_000L;
        io.ably.lib.types.ProtocolMessage msgpack =
                io.ably.lib.types.ProtocolSerializer.readMsgpack(MSGPACK.encode(pm));
        assertThat(msgpack.connectionDetails.connectionKey).isEqualTo("c1!k");
        io.ably.lib.types.ProtocolMessage json =
                io.ably.lib.types.ProtocolSerializer.fromJSON(new String(JSON.encode(pm), StandardCharsets.UTF_8));
        assertThat(json.connectionDetails.connectionKey).isEqualTo("c1!k");
        io.ably.lib.types.ProtocolMessage sync =
                io.ably.lib.types.ProtocolSerializer.readMsgpack(MSGPACK.encode(objectSync()));
        assertThat(sync.channel).isEqualTo("things");
    }
}

package io.herald.core.objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.internal.AblyException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectMessagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void mapCreateWithObjectId_asAblyJsSendsIt_isParsedFromItsInitialValue() throws Exception {
        String initial =
                "{\"semantics\":0,\"entries\":{\"b\":{\"data\":{\"bytes\":\"AQI=\"}},\"j\":{\"data\":{\"json\":\"[1,2]\"}}}}";
        String nonce = "0123456789abcdef";
        String id = ObjectId.derive("map", initial, nonce, 1700000000000L);
        JsonNode state = JSON.createArrayNode()
                .add(JSON.createObjectNode()
                        .set(
                                "operation",
                                JSON.createObjectNode()
                                        .put("action", 0)
                                        .put("objectId", id)
                                        .set(
                                                "mapCreateWithObjectId",
                                                JSON.createObjectNode()
                                                        .put("nonce", nonce)
                                                        .put("initialValue", initial))));
        List<ObjectMessage> ms = ObjectMessages.read(state);
        ObjectOperation op = ms.get(0).operation();
        assertThat(op.action()).isEqualTo(ObjectAction.MAP_CREATE);
        assertThat(op.mapCreate().entries().get("b").data().bytes()).containsExactly(1, 2);
        assertThat(op.mapCreate().entries().get("j").data().json()).isEqualTo("[1,2]");
        new ObjectsState(ObjectsLimits.DEFAULTS).check(List.of(op));
        // written back as clients read it: mapCreate, bytes as a binary node (base64 in JSON, bin in msgpack)
        JsonNode out = ObjectMessages.writeOperation(op);
        assertThat(out.has("mapCreateWithObjectId")).isFalse();
        assertThat(out.at("/mapCreate/entries/b/data/bytes").isBinary()).isTrue();
        assertThat(out.at("/mapCreate/entries/j/data/json").asText()).isEqualTo("[1,2]");
    }

    @Test
    void operations_roundTripThroughTheTree() throws Exception {
        List<ObjectMessage> in = List.of(
                ObjectMessage.ofOperation(ObjectOperation.mapSet("root", "k", ObjectData.ofBytes(new byte[] {9})))
                        .stamped("c:1:0", "ada", "c", 5L, "e-000000000001:000", "site"),
                ObjectMessage.ofOperation(ObjectOperation.counterInc("counter:x@1", 2.5)),
                ObjectMessage.ofOperation(ObjectOperation.counterCreate("counter:x@1", 3)),
                ObjectMessage.ofOperation(ObjectOperation.mapRemove("root", "k")),
                ObjectMessage.ofOperation(ObjectOperation.delete("map:y@1")),
                ObjectMessage.ofOperation(ObjectOperation.mapClear("root")));
        JsonNode tree = ObjectMessages.write(in);
        assertThat(tree.get(1).at("/operation/counterInc/number").asDouble()).isEqualTo(2.5);
        assertThat(tree.get(2).at("/operation/counterCreate/count").isIntegralNumber())
                .isTrue();
        assertThat(tree.get(4).at("/operation/objectDelete").isObject()).isTrue();
        assertThat(ObjectMessages.read(tree)).isEqualTo(in);
    }

    @Test
    void jsonBytesAreBase64Text_andLegacyNamesAreRead() throws Exception {
        ObjectOperation set = ObjectMessages.readOperation(
                json("{'action':1,'objectId':'root','mapSet':{'key':'k','value':{'bytes':'AQI='}}}"));
        assertThat(set.value().bytes()).containsExactly(1, 2);
        ObjectOperation legacy =
                ObjectMessages.readOperation(json("{'action':4,'objectId':'counter:a@1','counterOp':{'amount':3}}"));
        assertThat(legacy.number()).isEqualTo(3.0);
    }

    @Test
    void snapshot_roundTrips() {
        ObjectsState pool = new ObjectsState(ObjectsLimits.DEFAULTS);
        pool.apply(ObjectMessage.ofOperation(ObjectOperation.mapSet("root", "c", ObjectData.reference("counter:q@1")))
                .stamped("i", null, null, 1L, "s1", "a"));
        pool.apply(ObjectMessage.ofOperation(ObjectOperation.counterCreate("counter:q@1", 4))
                .stamped("i", null, null, 1L, "s2", "a"));
        List<ObjectMessage> sync = pool.snapshot();
        JsonNode tree = ObjectMessages.write(sync);
        assertThat(tree.get(0).at("/object/objectId").asText()).isEqualTo("root");
        assertThat(tree.get(1).at("/object/counter/count").asInt()).isZero();
        assertThat(tree.get(1).at("/object/createOp/counterCreate/count").asInt())
                .isEqualTo(4);
        assertThat(ObjectMessages.read(tree)).isEqualTo(sync);
    }

    @Test
    void malformedInput_is92000() throws Exception {
        for (String bad : List.of(
                "{'action':1}",
                "[1]",
                "[{'operation':{'action':99,'objectId':'root'}}]",
                "[{'operation':{'action':'x','objectId':'root'}}]",
                "[{'operation':{'action':1,'objectId':'root'}}]",
                "[{'operation':{'action':1,'objectId':'root','mapSet':{'key':'k','value':{}}}}]",
                "[{'operation':{'action':1,'objectId':'root','mapSet':{'key':'k','value':{'bytes':'***'}}}}]",
                "[{'operation':{'action':1,'objectId':'root','mapSet':{'key':'k','value':{'json':'7'}}}}]",
                "[{'operation':{'action':4,'objectId':'counter:a@1','counterInc':{'number':'1'}}}]",
                "[{'operation':{'action':4,'objectId':'counter:a@1'}}]",
                "[{'operation':{'action':0,'objectId':'map:a@1','mapCreateWithObjectId':{'nonce':'n','initialValue':'{'}}}]",
                "[{'operation':{'action':4,'objectId':7}}]")) {
            assertThatThrownBy(() -> ObjectMessages.read(json(bad)))
                    .as(bad)
                    .isInstanceOfSatisfying(AblyException.class, e -> {
                        assertThat(e.error().code()).isEqualTo(92000);
                        assertThat(e.error().statusCode()).isEqualTo(400);
                    });
        }
    }
}

package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.internal.AblyException;
import io.herald.core.objects.ObjectAction;
import io.herald.core.objects.ObjectData;
import io.herald.core.objects.ObjectId;
import java.util.List;
import org.junit.jupiter.api.Test;

class ObjectOpsParserTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text.replace('\'', '"'));
    }

    private static List<ObjectOpsParser.Op> parse(String text) throws Exception {
        return ObjectOpsParser.parse(json(text));
    }

    private static void refused(String text, int code) {
        assertThatThrownBy(() -> parse(text))
                .as(text)
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(code));
    }

    @Test
    void theActionIsInferredFromThePayloadField() throws Exception {
        ObjectOpsParser.Op set = parse("{'objectId':'root','mapSet':{'key':'k','value':{'string':'v'}}}")
                .get(0);
        assertThat(set.operation().action()).isEqualTo(ObjectAction.MAP_SET);
        assertThat(set.operation().objectId()).isEqualTo(ObjectId.ROOT);
        assertThat(set.operation().value()).isEqualTo(ObjectData.ofString("v"));

        ObjectOpsParser.Op inc =
                parse("{'id':'op-1','path':'a.b','counterInc':{'number':-2.5}}").get(0);
        assertThat(inc.operation().action()).isEqualTo(ObjectAction.COUNTER_INC);
        assertThat(inc.operation().number()).isEqualTo(-2.5);
        assertThat(inc.id()).isEqualTo("op-1");
        assertThat(inc.path()).isNotNull();
        assertThat(inc.path().segments()).hasSize(2);

        ObjectOpsParser.Op remove =
                parse("{'objectId':'root','mapRemove':{'key':'k'}}").get(0);
        assertThat(remove.operation().action()).isEqualTo(ObjectAction.MAP_REMOVE);
    }

    @Test
    void createsTakeNamedOrNumberedSemanticsAndAnOptionalPath() throws Exception {
        List<ObjectOpsParser.Op> ops = parse("[{'mapCreate':{'semantics':'lww','entries':{'a':{'data':{'number':1}}}}},"
                + "{'path':'x','mapCreate':{'semantics':0}},{'counterCreate':{}},{'counterCreate':{'count':3}}]");
        assertThat(ops).hasSize(4);
        assertThat(ops.get(0).isCreate()).isTrue();
        assertThat(ops.get(0).hasOwnId()).isFalse();
        assertThat(ops.get(0).operation().mapCreate().entries()).containsKey("a");
        assertThat(ops.get(1).path()).isNotNull();
        assertThat(ops.get(2).operation().number()).isNull();
        assertThat(ops.get(3).operation().number()).isEqualTo(3.0);
    }

    @Test
    void createsWithTheirOwnIdKeepNonceAndInitialValue() throws Exception {
        String initial = "{\\\"count\\\":100}";
        String id = ObjectId.derive(ObjectId.COUNTER, "{\"count\":100}", "n1", 1);
        ObjectOpsParser.Op op = parse("{'objectId':'" + id + "','counterCreateWithObjectId':{'initialValue':'" + initial
                        + "','nonce':'n1'}}")
                .get(0);
        assertThat(op.hasOwnId()).isTrue();
        assertThat(op.operation().objectId()).isEqualTo(id);
        assertThat(op.operation().number()).isEqualTo(100.0);
        assertThat(op.operation().nonce()).isEqualTo("n1");
    }

    @Test
    void envelopeMistakesAre40003() {
        refused("{}", 40003);
        refused("{'objectId':'root'}", 40003);
        refused("{'objectId':'root','mapSet':{'key':'k','value':{'string':'v'}},'mapRemove':{'key':'k'}}", 40003);
        refused("{'objectId':'root','path':'a','mapRemove':{'key':'k'}}", 40003);
        refused("{'mapRemove':{'key':'k'}}", 40003);
        refused("{'objectId':5,'mapRemove':{'key':'k'}}", 40003);
        refused("{'path':['a'],'mapRemove':{'key':'k'}}", 40003);
        refused("{'id':7,'objectId':'root','mapRemove':{'key':'k'}}", 40003);
        refused("{'id':'','objectId':'root','mapRemove':{'key':'k'}}", 40003);
        refused("{'objectId':'map:a@1','mapCreate':{}}", 40003);
        refused("{'mapCreateWithObjectId':{'initialValue':'{}','nonce':'n'}}", 40003);
        refused("{'objectId':'map:a@1','mapCreateWithObjectId':{'nonce':'n'}}", 40003);
        refused("[]", 40003);
        refused("'text'", 40003);
        refused("[1]", 40003);
        refused("{'objectId':'root','mapSet':'k'}", 40003);
    }

    @Test
    void payloadMistakesAre92000() {
        refused("{'objectId':'root','mapSet':{'value':{'string':'v'}}}", 92000);
        refused("{'objectId':'root','mapSet':{'key':'k','value':{}}}", 92000);
        refused("{'objectId':'root','mapSet':{'key':'k','value':{'number':'1'}}}", 92000);
        refused("{'objectId':'root','mapSet':{'key':'k','value':{'json':'not json'}}}", 92000);
        refused("{'objectId':'counter:a@1','counterInc':{}}", 92000);
        refused("{'objectId':'counter:a@1','counterInc':{'number':'1'}}", 92000);
        refused("{'objectId':'nonsense','counterInc':{'number':1}}", 92000);
        refused("{'mapCreate':{'semantics':'crdt'}}", 92000);
        refused("{'mapCreate':{'semantics':7}}", 92000);
        refused("{'objectId':'map:a@1','mapCreateWithObjectId':{'initialValue':'{','nonce':'n'}}", 92000);
    }

    @Test
    void aCreateAtTheEmptyPathIs92007() {
        refused("{'path':'','counterCreate':{}}", 92007);
    }

    @Test
    void batchesAreBounded() {
        String one = "{'objectId':'root','mapRemove':{'key':'k'}}";
        String many =
                "[" + String.join(",", java.util.Collections.nCopies(ObjectOpsParser.MAX_OPERATIONS + 1, one)) + "]";
        refused(many, 40001);
    }
}

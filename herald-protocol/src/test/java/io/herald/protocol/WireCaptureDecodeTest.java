package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePacker;

/**
 * The client frames of the captured SDK sessions (docs/protocol.md Appendix A; ably-js 2.28 and ably-java 1.5), literally for JSON and
 * as the same values packed with msgpack-core for msgpack.
 */
class WireCaptureDecodeTest {

    private static ProtocolMessage decode(Format format, String json) {
        return ProtocolCodec.of(format).decode(Samples.frame(format, json));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_attach_readsChannel(Format format) {
        ProtocolMessage pm = decode(format, "{\"action\":10,\"channel\":\"chat:room\"}");

        assertThat(pm.action).isEqualTo(Action.ATTACH);
        assertThat(pm.channel).isEqualTo("chat:room");
        assertThat(pm.flags).isZero();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_publishWithJsonData_keepsDataAndEncodingVerbatimAndSkipsSize(Format format) {
        ProtocolMessage pm = decode(
                format,
                "{\"action\":15,\"channel\":\"chat:room\",\"messages\":[{\"name\":\"greet\","
                        + "\"data\":\"{\\\"text\\\":\\\"hi\\\"}\",\"action\":0,\"encoding\":\"json\",\"size\":18}],\"msgSerial\":0}");

        assertThat(pm.action).isEqualTo(Action.MESSAGE);
        assertThat(pm.msgSerial).isZero();
        Message m = pm.messages.get(0);
        assertThat(m.name).isEqualTo("greet");
        assertThat(m.data).isEqualTo("{\"text\":\"hi\"}");
        assertThat(m.encoding).isEqualTo("json");
        assertThat(m.action).isZero();
    }

    @Test
    void decode_jsonPublishOfBinaryAndExtras_keepsBase64AndExtras() {
        ProtocolMessage pm = decode(
                Format.JSON,
                "{\"action\":15,\"channel\":\"chat:room\",\"messages\":[{\"name\":\"a\","
                        + "\"data\":\"AQID\",\"action\":0,\"encoding\":\"base64\",\"size\":4},{\"name\":\"b\",\"data\":\"x\","
                        + "\"id\":\"myid:0\",\"extras\":{\"headers\":{\"k\":\"v\"}},\"action\":0,\"size\":23}],\"msgSerial\":1}");

        assertThat(pm.messages).hasSize(2);
        assertThat(pm.messages.get(0).data).isEqualTo("AQID");
        assertThat(pm.messages.get(0).encoding).isEqualTo("base64");
        assertThat(pm.messages.get(1).id).isEqualTo("myid:0");
        assertThat(pm.messages.get(1).extras).isEqualTo(Samples.tree("{\"headers\":{\"k\":\"v\"}}"));
        assertThat(pm.msgSerial).isEqualTo(1L);
    }

    @Test
    void decode_msgpackPublishOfBinary_readsBinAsBytes() throws IOException {
        // {"action":15,"channel":"chat:room","messages":[{"name":"a","data":<bin 010203>,"action":0,"size":4},
        //  {"name":"b","data":"x","id":"myid:0","extras":{"headers":{"k":"v"}},"action":0,"size":23}],"msgSerial":1}
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MessagePacker p = MessagePack.newDefaultPacker(out);
        p.packMapHeader(4)
                .packString("action")
                .packInt(15)
                .packString("channel")
                .packString("chat:room");
        p.packString("messages").packArrayHeader(2);
        p.packMapHeader(4)
                .packString("name")
                .packString("a")
                .packString("data")
                .packBinaryHeader(3)
                .writePayload(new byte[] {1, 2, 3})
                .packString("action")
                .packInt(0)
                .packString("size")
                .packInt(4);
        p.packMapHeader(6)
                .packString("name")
                .packString("b")
                .packString("data")
                .packString("x")
                .packString("id")
                .packString("myid:0")
                .packString("extras")
                .packMapHeader(1)
                .packString("headers")
                .packMapHeader(1)
                .packString("k")
                .packString("v")
                .packString("action")
                .packInt(0)
                .packString("size")
                .packInt(23);
        p.packString("msgSerial").packInt(1);
        p.close();

        ProtocolMessage pm = ProtocolCodec.of(Format.MSGPACK).decode(out.toByteArray());

        assertThat(pm.messages.get(0).data).isEqualTo(new byte[] {1, 2, 3});
        assertThat(pm.messages.get(0).encoding).isNull();
        assertThat(pm.messages.get(1).data).isEqualTo("x");
        assertThat(pm.messages.get(1).extras).isEqualTo(Samples.tree("{\"headers\":{\"k\":\"v\"}}"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_presenceEnter_readsActionAndData(Format format) {
        ProtocolMessage pm = decode(
                format,
                "{\"action\":14,\"channel\":\"chat:room\",\"presence\":[{\"data\":"
                        + "\"{\\\"mood\\\":\\\"ok\\\"}\",\"action\":2,\"encoding\":\"json\"}],\"msgSerial\":2}");

        assertThat(pm.action).isEqualTo(Action.PRESENCE);
        assertThat(pm.msgSerial).isEqualTo(2L);
        PresenceMessage p = pm.presence.get(0);
        assertThat(p.action).isEqualTo(PresenceMessage.ENTER);
        assertThat(p.data).isEqualTo("{\"mood\":\"ok\"}");
        assertThat(p.encoding).isEqualTo("json");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_heartbeatPing_readsId(Format format) {
        ProtocolMessage pm = decode(format, "{\"action\":0,\"id\":\"4654606753609867\"}");

        assertThat(pm.action).isEqualTo(Action.HEARTBEAT);
        assertThat(pm.id).isEqualTo("4654606753609867");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_authWithToken_readsAccessToken(Format format) {
        ProtocolMessage pm = decode(format, "{\"action\":17,\"auth\":{\"accessToken\":\"tok2\"}}");

        assertThat(pm.action).isEqualTo(Action.AUTH);
        assertThat(pm.auth.accessToken).isEqualTo("tok2");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_detachAndClose_readAction(Format format) {
        assertThat(decode(format, "{\"action\":12,\"channel\":\"chat:room\"}").action)
                .isEqualTo(Action.DETACH);
        assertThat(decode(format, "{\"action\":7}").action).isEqualTo(Action.CLOSE);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_ablyJavaPublish_readsFieldsInItsOrder(Format format) {
        ProtocolMessage pm = decode(
                format,
                "{\"action\":15,\"channel\":\"probe:java\",\"msgSerial\":0,"
                        + "\"messages\":[{\"data\":\"hello-java\",\"name\":\"greet\"}]}");

        assertThat(pm.channel).isEqualTo("probe:java");
        assertThat(pm.messages.get(0).data).isEqualTo("hello-java");
        assertThat(pm.messages.get(0).name).isEqualTo("greet");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_stubConnectedWithRetiredConnectionSerial_skipsIt(Format format) {
        ProtocolMessage pm = decode(
                format,
                "{\"action\":4,\"connectionId\":\"cid1\",\"connectionKey\":\"ckey1\","
                        + "\"connectionSerial\":-1,\"connectionDetails\":{\"clientId\":\"alice\",\"connectionKey\":\"ckey1\","
                        + "\"maxMessageSize\":65536,\"maxInboundRate\":250,\"maxFrameSize\":524288,\"maxIdleInterval\":15000,"
                        + "\"connectionStateTtl\":120000,\"serverId\":\"stub\"}}");

        assertThat(pm.connectionId).isEqualTo("cid1");
        assertThat(pm.connectionDetails.maxMessageSize).isEqualTo(65536L);
        assertThat(pm.connectionDetails.maxIdleInterval).isEqualTo(15000L);
        assertThat(pm.connectionDetails.serverId).isEqualTo("stub");
    }

    @Test
    void decode_jsonFrameAsString_isUtf8() {
        byte[] frame = "{\"action\":10,\"channel\":\"é\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(ProtocolCodec.of(Format.JSON).decode(frame).channel).isEqualTo("é");
    }
}

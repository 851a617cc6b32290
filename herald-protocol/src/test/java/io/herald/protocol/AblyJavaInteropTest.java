package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.ably.lib.types.MessageAction;
import io.ably.lib.types.MessageExtras;
import io.ably.lib.types.MessageSerializer;
import io.ably.lib.types.PresenceSerializer;
import io.ably.lib.types.ProtocolSerializer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Our frames read by ably-java 1.5.0's own msgpack and JSON readers (the SDK reads text with unpackString and
 * numbers with unpackInt/unpackLong, docs/protocol.md §1.4), and frames written by ably-java decoded by us.
 */
class AblyJavaInteropTest {
    private static final ProtocolCodec MSGPACK = ProtocolCodec.of(Format.MSGPACK);
    private static final ProtocolCodec JSON = ProtocolCodec.of(Format.JSON);

    /** What ably-java 1.5 reads: everything but res (unknown to it) and state (needs the LiveObjects plugin). */
    private static ProtocolMessage sample() {
        ProtocolMessage pm = Samples.fullProtocolMessage();
        pm.messages.get(1).data = new byte[] {1, 2, 3};
        return pm;
    }

    private static void assertReadByAblyJava(io.ably.lib.types.ProtocolMessage theirs, boolean binaryData) {
        ProtocolMessage ours = sample();
        assertThat(theirs.action).isEqualTo(io.ably.lib.types.ProtocolMessage.Action.message);
        assertThat(theirs.flags).isEqualTo(ours.flags);
        assertThat(theirs.id).isEqualTo(ours.id);
        assertThat(theirs.channel).isEqualTo(ours.channel);
        assertThat(theirs.channelSerial).isEqualTo(ours.channelSerial);
        assertThat(theirs.connectionId).isEqualTo(ours.connectionId);
        assertThat(theirs.count).isEqualTo(ours.count);
        assertThat(theirs.msgSerial).isEqualTo(ours.msgSerial);
        assertThat(theirs.timestamp).isEqualTo(ours.timestamp);
        assertThat(theirs.error.code).isEqualTo(40160);
        assertThat(theirs.error.statusCode).isEqualTo(401);
        assertThat(theirs.error.message).isEqualTo("Operation not permitted");
        assertThat(theirs.error.href).isEqualTo("https://example.test/40160");
        assertThat(theirs.auth.accessToken).isEqualTo("tok-123");
        assertThat(theirs.params).isEqualTo(ours.params);

        io.ably.lib.types.ConnectionDetails cd = theirs.connectionDetails;
        assertThat(cd.clientId).isEqualTo("alice");
        assertThat(cd.connectionKey).isEqualTo("cid1!key");
        assertThat(cd.serverId).isEqualTo("herald-1");
        assertThat(cd.maxMessageSize).isEqualTo(65536);
        assertThat(cd.maxFrameSize).isEqualTo(524288L);
        assertThat(cd.maxInboundRate).isEqualTo(250L);
        assertThat(cd.maxOutboundRate).isEqualTo(100L);
        assertThat(cd.connectionStateTtl).isEqualTo(120000L);
        assertThat(cd.maxIdleInterval).isEqualTo(15000L);

        io.ably.lib.types.Message m = theirs.messages[0];
        Message expected = ours.messages.get(0);
        assertThat(m.id).isEqualTo(expected.id);
        assertThat(m.name).isEqualTo(expected.name);
        assertThat(m.data).isEqualTo(expected.data);
        assertThat(m.encoding).isEqualTo(expected.encoding);
        assertThat(m.clientId).isEqualTo(expected.clientId);
        assertThat(m.connectionId).isEqualTo(expected.connectionId);
        assertThat(m.connectionKey).isEqualTo(expected.connectionKey);
        assertThat(m.timestamp).isEqualTo(expected.timestamp);
        assertThat(m.serial).isEqualTo(expected.serial);
        assertThat(m.action).isEqualTo(MessageAction.MESSAGE_UPDATE);
        assertThat(m.version.serial).isEqualTo("v1");
        assertThat(m.version.timestamp).isEqualTo(1700000000999L);
        assertThat(m.version.metadata).isEqualTo(Map.of("a", "b"));
        assertThat(m.annotations.summary).isNotNull();
        assertThat(m.extras.asJsonObject().toString())
                .isEqualTo("{\"headers\":{\"k\":\"v\"},\"push\":{\"n\":[1,2.5,true,null]}}");
        if (binaryData) {
            assertThat(theirs.messages[1].data).isEqualTo(new byte[] {1, 2, 3});
            assertThat(theirs.messages[1].encoding).isNull();
        } else {
            assertThat(theirs.messages[1].data).isEqualTo("AQID");
            assertThat(theirs.messages[1].encoding).isEqualTo("base64");
        }

        io.ably.lib.types.PresenceMessage p = theirs.presence[0];
        assertThat(p.action).isEqualTo(io.ably.lib.types.PresenceMessage.Action.update);
        assertThat(p.id).isEqualTo("cid1:3:0");
        assertThat(p.clientId).isEqualTo("alice");
        assertThat(p.connectionId).isEqualTo("cid1");
        assertThat(p.data).isEqualTo("{\"mood\":\"ok\"}");
        assertThat(p.encoding).isEqualTo("json");
        assertThat(p.timestamp).isEqualTo(1700000000456L);
        assertThat(theirs.annotations).hasSize(1);
    }

    @Test
    void encode_msgpackFrame_isReadByAblyJava() throws Exception {
        io.ably.lib.types.ProtocolMessage theirs = ProtocolSerializer.readMsgpack(MSGPACK.encode(sample()));

        assertReadByAblyJava(theirs, true);
    }

    @Test
    void encode_jsonFrame_isReadByAblyJava() throws Exception {
        String json = new String(JSON.encode(sample()), StandardCharsets.UTF_8);

        io.ably.lib.types.ProtocolMessage theirs = ProtocolSerializer.fromJSON(json);

        assertReadByAblyJava(theirs, false);
    }

    private static io.ably.lib.types.ProtocolMessage ablyJavaPublish() {
        io.ably.lib.types.ProtocolMessage pm =
                new io.ably.lib.types.ProtocolMessage(io.ably.lib.types.ProtocolMessage.Action.message, "probe:java");
        pm.msgSerial = 5L;
        pm.flags = 983040;
        pm.channelSerial = "ser9";
        pm.params = Map.of("rewind", "1");
        io.ably.lib.types.Message text = new io.ably.lib.types.Message("greet", "hello-java");
        io.ably.lib.types.Message bytes = new io.ably.lib.types.Message("bin", new byte[] {4, 5});
        bytes.id = "idem:0";
        bytes.clientId = "javauser";
        JsonObject headers = new JsonObject();
        headers.addProperty("k", "v");
        JsonObject extras = new JsonObject();
        extras.add("headers", headers);
        bytes.extras = new MessageExtras(extras);
        pm.messages = new io.ably.lib.types.Message[] {text, bytes};
        return pm;
    }

    @Test
    void decode_msgpackFrameWrittenByAblyJava_readsEveryField() throws Exception {
        ProtocolMessage pm = MSGPACK.decode(ProtocolSerializer.writeMsgpack(ablyJavaPublish()));

        assertThat(pm.action).isEqualTo(Action.MESSAGE);
        assertThat(pm.channel).isEqualTo("probe:java");
        assertThat(pm.msgSerial).isEqualTo(5L);
        assertThat(pm.flags).isEqualTo(983040);
        assertThat(pm.channelSerial).isEqualTo("ser9");
        assertThat(pm.params).isEqualTo(Map.of("rewind", "1"));
        assertThat(pm.messages.get(0).name).isEqualTo("greet");
        assertThat(pm.messages.get(0).data).isEqualTo("hello-java");
        Message bin = pm.messages.get(1);
        assertThat(bin.data).isEqualTo(new byte[] {4, 5});
        assertThat(bin.id).isEqualTo("idem:0");
        assertThat(bin.clientId).isEqualTo("javauser");
        assertThat(bin.extras).isEqualTo(Samples.tree("{\"headers\":{\"k\":\"v\"}}"));
    }

    @Test
    void decode_jsonFrameWrittenByAblyJava_readsEveryField() throws Exception {
        ProtocolMessage pm = JSON.decode(ProtocolSerializer.writeJSON(ablyJavaPublish()));

        assertThat(pm.action).isEqualTo(Action.MESSAGE);
        assertThat(pm.channel).isEqualTo("probe:java");
        assertThat(pm.msgSerial).isEqualTo(5L);
        assertThat(pm.messages.get(0).data).isEqualTo("hello-java");
        assertThat(pm.messages.get(1).extras).isEqualTo(Samples.tree("{\"headers\":{\"k\":\"v\"}}"));
    }

    @Test
    void encodeMessages_msgpackBody_isReadByAblyJavaAndBack() throws Exception {
        io.ably.lib.types.Message[] theirs = MessageSerializer.readMsgpack(
                MSGPACK.encodeMessages(List.of(Samples.fullMessage(), new Message("b", new byte[] {1}))));

        assertThat(theirs).hasSize(2);
        assertThat(theirs[0].name).isEqualTo("greeting");
        assertThat(theirs[1].data).isEqualTo(new byte[] {1});

        List<Message> back = MSGPACK.decodeMessages(MessageSerializer.writeMsgpackArray(theirs));
        assertThat(back.get(0).serial).isEqualTo(Samples.fullMessage().serial);
        assertThat(back.get(0).extras).isEqualTo(Samples.fullMessage().extras);
        assertThat(back.get(1).data).isEqualTo(new byte[] {1});
    }

    @Test
    void encodePresence_msgpackBody_isReadByAblyJavaAndBack() throws Exception {
        io.ably.lib.types.PresenceMessage[] theirs =
                PresenceSerializer.readMsgpack(MSGPACK.encodePresenceMessages(List.of(Samples.fullPresence())));

        assertThat(theirs[0].action).isEqualTo(io.ably.lib.types.PresenceMessage.Action.update);
        assertThat(theirs[0].clientId).isEqualTo("alice");

        List<PresenceMessage> back = MSGPACK.decodePresenceMessages(PresenceSerializer.writeMsgpackArray(theirs));
        assertThat(back.get(0).action).isEqualTo(PresenceMessage.UPDATE);
        assertThat(back.get(0).data).isEqualTo("{\"mood\":\"ok\"}");
    }

    @Test
    void encodeError_msgpackBody_isReadByAblyJava() throws Exception {
        io.ably.lib.types.ErrorInfo error =
                io.ably.lib.types.ErrorInfo.fromMsgpackBody(MSGPACK.encodeError(ErrorCode.TOKEN_EXPIRED.info()));

        assertThat(error.code).isEqualTo(40142);
        assertThat(error.statusCode).isEqualTo(401);
        assertThat(error.message).isEqualTo("Token expired");
        assertThat(error.href).isEqualTo("https://help.ably.io/error/40142");
    }
}

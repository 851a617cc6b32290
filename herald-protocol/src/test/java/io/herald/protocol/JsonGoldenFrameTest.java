package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Byte-exact JSON for the frames the server sends most (docs/protocol.md §1.3: compact, nulls omitted). */
class JsonGoldenFrameTest {
    private static final ProtocolCodec JSON = ProtocolCodec.of(Format.JSON);

    private static String encode(ProtocolMessage pm) {
        return new String(JSON.encode(pm), StandardCharsets.UTF_8);
    }

    @Test
    void encode_connected_isExactJson() {
        ProtocolMessage pm = new ProtocolMessage(Action.CONNECTED);
        pm.connectionId = "cid1";
        pm.connectionKey = "cid1!key";
        ConnectionDetails cd = new ConnectionDetails();
        cd.clientId = "alice";
        cd.connectionKey = "cid1!key";
        cd.maxMessageSize = 65536L;
        cd.maxFrameSize = 524288L;
        cd.maxInboundRate = 250L;
        cd.connectionStateTtl = 120000L;
        cd.maxIdleInterval = 15000L;
        cd.serverId = "herald-1";
        pm.connectionDetails = cd;

        assertThat(encode(pm))
                .isEqualTo("{\"action\":4,\"connectionId\":\"cid1\",\"connectionKey\":\"cid1!key\","
                        + "\"connectionDetails\":{\"clientId\":\"alice\",\"connectionKey\":\"cid1!key\",\"maxMessageSize\":65536,"
                        + "\"maxFrameSize\":524288,\"maxInboundRate\":250,\"connectionStateTtl\":120000,"
                        + "\"maxIdleInterval\":15000,\"serverId\":\"herald-1\"}}");
    }

    @Test
    void encode_attached_isExactJson() {
        ProtocolMessage pm = ProtocolMessage.of(Action.ATTACHED, "chat:room");
        pm.flags = 983041;
        pm.channelSerial = "ser0";

        assertThat(encode(pm))
                .isEqualTo(
                        "{\"action\":11,\"channel\":\"chat:room\",\"flags\":983041," + "\"channelSerial\":\"ser0\"}");
    }

    @Test
    void encode_message_isExactJson() {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "chat:room1");
        pm.id = "Fq3kT9xZ:0";
        pm.connectionId = "Fq3kT9xZ";
        pm.timestamp = 1700000000123L;
        pm.channelSerial = "c1";
        Message m = new Message("greeting", "hi");
        m.id = "Fq3kT9xZ:0:0";
        m.clientId = "user-1";
        m.connectionId = "Fq3kT9xZ";
        m.timestamp = 1700000000123L;
        m.serial = "s1";
        m.action = 0;
        m.extras = Samples.tree("{\"headers\":{\"k\":\"v\"}}");
        pm.messages = List.of(m);

        assertThat(encode(pm))
                .isEqualTo("{\"action\":15,\"id\":\"Fq3kT9xZ:0\",\"channel\":\"chat:room1\","
                        + "\"channelSerial\":\"c1\",\"connectionId\":\"Fq3kT9xZ\",\"timestamp\":1700000000123,"
                        + "\"messages\":[{\"id\":\"Fq3kT9xZ:0:0\",\"name\":\"greeting\",\"data\":\"hi\",\"clientId\":\"user-1\","
                        + "\"connectionId\":\"Fq3kT9xZ\",\"timestamp\":1700000000123,\"action\":0,\"serial\":\"s1\","
                        + "\"extras\":{\"headers\":{\"k\":\"v\"}}}]}");
    }

    @Test
    void encode_ack_isExactJson() {
        ProtocolMessage pm = new ProtocolMessage(Action.ACK);
        pm.msgSerial = 0L;
        pm.count = 2;
        pm.res = List.of(new PublishResult(List.of("s1")), new PublishResult(Arrays.asList("s2", null)));

        assertThat(encode(pm))
                .isEqualTo("{\"action\":1,\"msgSerial\":0,\"count\":2,"
                        + "\"res\":[{\"serials\":[\"s1\"]},{\"serials\":[\"s2\",null]}]}");
    }

    @Test
    void encode_nack_isExactJson() {
        ProtocolMessage pm = ProtocolMessage.error(
                Action.NACK, ErrorCode.OPERATION_NOT_PERMITTED.info("Publish not permitted on chat:room"));
        pm.msgSerial = 3L;
        pm.count = 1;

        assertThat(encode(pm))
                .isEqualTo("{\"action\":2,\"msgSerial\":3,\"count\":1,\"error\":{\"message\":"
                        + "\"Publish not permitted on chat:room\",\"code\":40160,\"statusCode\":401,"
                        + "\"href\":\"https://help.ably.io/error/40160\"}}");
    }

    @Test
    void encode_error_isExactJson() {
        ProtocolMessage pm = ProtocolMessage.error(Action.ERROR, ErrorCode.TOKEN_EXPIRED.info());

        assertThat(encode(pm))
                .isEqualTo("{\"action\":9,\"error\":{\"message\":\"Token expired\",\"code\":40142,"
                        + "\"statusCode\":401,\"href\":\"https://help.ably.io/error/40142\"}}");
    }

    @Test
    void encode_heartbeatAndAuth_areMinimal() {
        assertThat(encode(new ProtocolMessage(Action.HEARTBEAT))).isEqualTo("{\"action\":0}");
        ProtocolMessage auth = new ProtocolMessage(Action.AUTH);
        auth.auth = new AuthDetails("tok2");
        assertThat(encode(auth)).isEqualTo("{\"action\":17,\"auth\":{\"accessToken\":\"tok2\"}}");
    }

    @Test
    void encode_fullFrame_hasNoWhitespaceOutsideStrings() {
        String json = encode(Samples.fullProtocolMessage());

        String outsideStrings = json.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"");
        assertThat(outsideStrings).doesNotContainPattern("\\s");
    }

    @Test
    void encode_flagsZero_isOmitted() {
        ProtocolMessage pm = ProtocolMessage.of(Action.DETACHED, "c");

        assertThat(encode(pm)).isEqualTo("{\"action\":13,\"channel\":\"c\"}");
    }

    @Test
    void encode_controlAndNonAsciiCharacters_areValidJson() {
        ProtocolMessage pm = ProtocolMessage.of(Action.ATTACH, "a\"b\\c\n\u0001é😀");

        assertThat(encode(pm)).isEqualTo("{\"action\":10,\"channel\":\"a\\\"b\\\\c\\n\\u0001é😀\"}");
    }
}

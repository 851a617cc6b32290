package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BinaryNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every field survives encode then decode, in both formats. */
class ProtocolCodecRoundTripTest {

    private static ProtocolMessage roundTrip(Format format, ProtocolMessage pm) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        return codec.decode(codec.encode(pm));
    }

    @Test
    void of_eachFormat_returnsCodecOfThatFormat() {
        assertThat(ProtocolCodec.of(Format.JSON).format()).isEqualTo(Format.JSON);
        assertThat(ProtocolCodec.of(Format.MSGPACK).format()).isEqualTo(Format.MSGPACK);
        assertThat(ProtocolCodec.of(Format.JSON)).isSameAs(ProtocolCodec.of(Format.JSON));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecode_everyProtocolMessageField_roundTrips(Format format) {
        ProtocolMessage pm = Samples.fullProtocolMessage();

        ProtocolMessage back = roundTrip(format, pm);

        assertThat(back).usingRecursiveComparison().isEqualTo(pm);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecode_minimalFrame_keepsNullsNullAndFlagsZero(Format format) {
        ProtocolMessage back = roundTrip(format, new ProtocolMessage(Action.HEARTBEAT));

        assertThat(back).usingRecursiveComparison().isEqualTo(new ProtocolMessage(Action.HEARTBEAT));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecode_unknownActionAndExtremeNumbers_roundTrip(Format format) {
        ProtocolMessage pm = new ProtocolMessage(250);
        pm.flags = Integer.MIN_VALUE;
        pm.msgSerial = Long.MAX_VALUE;
        pm.timestamp = Long.MIN_VALUE;
        pm.count = -1;

        assertThat(roundTrip(format, pm)).usingRecursiveComparison().isEqualTo(pm);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecode_nonAsciiAndLongStrings_roundTrip(Format format) {
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "канал:😀");
        String big = "x".repeat(70_000) + "é\"\\\n\u0001";
        pm.messages = List.of(new Message("ñame", big));

        ProtocolMessage back = roundTrip(format, pm);

        assertThat(back.channel).isEqualTo("канал:😀");
        assertThat(back.messages.get(0).name).isEqualTo("ñame");
        assertThat(back.messages.get(0).data).isEqualTo(big);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecode_stringLengthsAtHeaderBoundaries_roundTrip(Format format) {
        for (int n : new int[] {0, 1, 31, 32, 255, 256, 65535, 65536}) {
            ProtocolMessage pm = ProtocolMessage.of(Action.ATTACH, "c".repeat(n));
            pm.msgSerial = (long) n;
            assertThat(roundTrip(format, pm).channel).hasSize(n);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecode_integersAtEveryWidth_roundTrip(Format format) {
        long[] values = {
            0,
            1,
            127,
            128,
            255,
            256,
            65535,
            65536,
            0xffffffffL,
            0x100000000L,
            Long.MAX_VALUE,
            -1,
            -32,
            -33,
            -128,
            -129,
            -32768,
            -32769,
            Integer.MIN_VALUE,
            Integer.MIN_VALUE - 1L,
            Long.MIN_VALUE
        };
        for (long v : values) {
            ProtocolMessage pm = new ProtocolMessage(Action.ACK);
            pm.msgSerial = v;
            assertThat(roundTrip(format, pm).msgSerial).as("msgSerial %d", v).isEqualTo(v);
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecode_resWithNullEntries_keepsNulls(Format format) {
        ProtocolMessage ack = new ProtocolMessage(Action.ACK);
        ack.msgSerial = 0L;
        ack.count = 3;
        ack.res = Arrays.asList(new PublishResult(Arrays.asList(null, "s2")), null, new PublishResult(null));

        ProtocolMessage back = roundTrip(format, ack);

        assertThat(back.res).hasSize(3);
        assertThat(back.res.get(0).serials()).containsExactly(null, "s2");
        assertThat(back.res.get(1)).isNull();
        assertThat(back.res.get(2).serials()).isNull();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecode_errorWithoutHref_sendsDefaultHref(Format format) {
        ProtocolMessage pm = ProtocolMessage.error(Action.ERROR, ErrorCode.TOKEN_EXPIRED.info());

        ErrorInfo back = roundTrip(format, pm).error;

        assertThat(back.code()).isEqualTo(40142);
        assertThat(back.statusCode()).isEqualTo(401);
        assertThat(back.message()).isEqualTo("Token expired");
        assertThat(back.href()).isEqualTo("https://help.ably.io/error/40142");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecode_paramsWithNullValue_dropsIt(Format format) {
        ProtocolMessage pm = ProtocolMessage.of(Action.ATTACHED, "c");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("a", "1");
        params.put("b", null);
        pm.params = params;

        assertThat(roundTrip(format, pm).params).containsExactly(Map.entry("a", "1"));
    }

    @Test
    void encodeDecode_binaryDataInMsgpack_staysBinaryWithEncodingUntouched() {
        ProtocolCodec codec = ProtocolCodec.of(Format.MSGPACK);
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "c");
        Message m = new Message("bin", new byte[] {1, 2, 3, (byte) 0xff});
        m.encoding = "cipher+aes-128-cbc";
        pm.messages = List.of(m);

        Message back = codec.decode(codec.encode(pm)).messages.get(0);

        assertThat(back.data).isEqualTo(new byte[] {1, 2, 3, (byte) 0xff});
        assertThat(back.encoding).isEqualTo("cipher+aes-128-cbc");
    }

    @Test
    void encode_binaryDataInJson_isBase64WithBase64AppendedToEncoding() {
        ProtocolCodec codec = ProtocolCodec.of(Format.JSON);
        ProtocolMessage pm = ProtocolMessage.of(Action.MESSAGE, "c");
        Message plain = new Message("a", new byte[] {1, 2, 3});
        Message cipher = new Message("b", new byte[] {(byte) 0xfb, (byte) 0xff});
        cipher.encoding = "cipher+aes-128-cbc";
        pm.messages = List.of(plain, cipher);

        String json = new String(codec.encode(pm), StandardCharsets.UTF_8);
        ProtocolMessage back = codec.decode(json.getBytes(StandardCharsets.UTF_8));

        assertThat(json).contains("{\"name\":\"a\",\"data\":\"AQID\",\"encoding\":\"base64\"}");
        assertThat(json).contains("{\"name\":\"b\",\"data\":\"+/8=\",\"encoding\":\"cipher+aes-128-cbc/base64\"}");
        assertThat(back.messages.get(0).data).isEqualTo("AQID");
        assertThat(back.messages.get(0).encoding).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode((String) back.messages.get(1).data))
                .containsExactly(0xfb, 0xff);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encode_binaryPresenceData_followsTheSameRule(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        PresenceMessage p = new PresenceMessage();
        p.action = PresenceMessage.ENTER;
        p.data = new byte[] {9};

        PresenceMessage back = codec.decodePresenceMessages(codec.encodePresenceMessages(List.of(p)))
                .get(0);

        if (format == Format.JSON) {
            assertThat(back.data).isEqualTo("CQ==");
            assertThat(back.encoding).isEqualTo("base64");
        } else {
            assertThat(back.data).isEqualTo(new byte[] {9});
            assertThat(back.encoding).isNull();
        }
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encode_jsonNodeData_isJsonTextWithJsonEncoding(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        Message m = new Message("obj", Samples.tree("{\"a\":[1,2]}"));

        Message back = codec.decodeMessages(codec.encodeMessages(List.of(m))).get(0);

        assertThat(back.data).isEqualTo("{\"a\":[1,2]}");
        assertThat(back.encoding).isEqualTo("json");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decodeMessages_objectOrArray_returnsList(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);

        List<Message> one = codec.decodeMessages(Samples.frame(format, "{\"name\":\"a\",\"data\":\"x\"}"));
        List<Message> many = codec.decodeMessages(Samples.frame(format, "[{\"name\":\"a\"},{\"name\":\"b\"}]"));
        List<Message> none = codec.decodeMessages(Samples.frame(format, "[]"));

        assertThat(one).extracting(m -> m.name).containsExactly("a");
        assertThat(many).extracting(m -> m.name).containsExactly("a", "b");
        assertThat(none).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecodeMessages_fullMessage_roundTrips(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        List<Message> list = List.of(Samples.fullMessage(), new Message(null, null));

        assertThat(codec.decodeMessages(codec.encodeMessages(list)))
                .usingRecursiveComparison()
                .isEqualTo(list);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeDecodePresence_fullPresence_roundTrips(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        List<PresenceMessage> list = List.of(Samples.fullPresence());

        assertThat(codec.decodePresenceMessages(codec.encodePresenceMessages(list)))
                .usingRecursiveComparison()
                .isEqualTo(list);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decodePresenceMessages_actionNames_becomeInts(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        String body = "[{\"action\":\"absent\"},{\"action\":\"present\"},{\"action\":\"enter\"},"
                + "{\"action\":\"leave\"},{\"action\":\"update\"},{\"action\":3}]";

        List<PresenceMessage> list = codec.decodePresenceMessages(Samples.frame(format, body));

        assertThat(list).extracting(p -> p.action).containsExactly(0, 1, 2, 3, 4, 3);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeError_errorInfo_isWrappedInErrorMember(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);

        JsonNode tree = codec.decodeTree(codec.encodeError(ErrorCode.TIMESTAMP_NOT_CURRENT.info()));

        assertThat(tree)
                .isEqualTo(Samples.tree("{\"error\":{\"message\":\"Timestamp not current\",\"code\":40104,"
                        + "\"statusCode\":401,\"href\":\"https://help.ably.io/error/40104\"}}"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeValue_nestedValues_keepsOrderAndDropsNullMapValues(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("z", 1);
        map.put("a", List.of("x", 2L, 2.5, true));
        map.put("gone", null);
        map.put("big", new java.math.BigInteger("18446744073709551615"));
        map.put("dec", new java.math.BigDecimal("1.25"));
        map.put("tree", Samples.tree("{\"k\":[null]}"));
        map.put("err", ErrorInfo.of(40000, 400, "Bad"));
        map.put("msg", new Message("n", "d"));
        map.put("list", new ArrayList<>(Arrays.asList(null, "y")));
        map.put("array", new Object[] {1, "two"});

        JsonNode tree = codec.decodeTree(codec.encodeValue(map));

        assertThat(tree)
                .isEqualTo(Samples.tree("{\"z\":1,\"a\":[\"x\",2,2.5,true],\"big\":18446744073709551615,"
                        + "\"dec\":1.25,\"tree\":{\"k\":[null]},\"err\":{\"message\":\"Bad\",\"code\":40000,\"statusCode\":400,"
                        + "\"href\":\"https://help.ably.io/error/40000\"},\"msg\":{\"name\":\"n\",\"data\":\"d\"},"
                        + "\"list\":[null,\"y\"],\"array\":[1,\"two\"]}"));
        assertThat(tree.fieldNames())
                .toIterable()
                .containsExactly("z", "a", "big", "dec", "tree", "err", "msg", "list", "array");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void encodeValue_scalars_encodeAsThemselves(Format format) {
        ProtocolCodec codec = ProtocolCodec.of(format);

        assertThat(codec.decodeTree(codec.encodeValue(List.of(1_700_000_000_000L)))
                        .get(0)
                        .longValue())
                .isEqualTo(1_700_000_000_000L);
        assertThat(codec.decodeTree(codec.encodeValue("s")).textValue()).isEqualTo("s");
        assertThat(codec.decodeTree(codec.encodeValue(null)).isNull()).isTrue();
        assertThat(codec.decodeTree(codec.encodeValue(false)).booleanValue()).isFalse();
    }

    @Test
    void decodeTree_msgpackBin_isBinaryNode() {
        ProtocolCodec codec = ProtocolCodec.of(Format.MSGPACK);

        JsonNode tree = codec.decodeTree(codec.encodeValue(Map.of("b", new byte[] {1, 2})));

        assertThat(tree.get("b")).isEqualTo(BinaryNode.valueOf(new byte[] {1, 2}));
    }

    @Test
    void encodeValue_bytesInJson_isBase64Text() {
        ProtocolCodec codec = ProtocolCodec.of(Format.JSON);

        assertThat(new String(codec.encodeValue(Map.of("b", new byte[] {1, 2, 3})), StandardCharsets.UTF_8))
                .isEqualTo("{\"b\":\"AQID\"}");
    }
}

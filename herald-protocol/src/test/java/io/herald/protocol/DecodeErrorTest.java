package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Lenient where clients are sloppy, strict where input is wrong: every failure is a 40000 naming the problem. */
class DecodeErrorTest {

    private static ProtocolMessage decode(Format format, String json) {
        return ProtocolCodec.of(format).decode(Samples.frame(format, json));
    }

    private static ErrorInfo decodeError(Format format, byte[] frame) {
        ProtocolDecodeException e = catchThrowableOfType(
                ProtocolDecodeException.class, () -> ProtocolCodec.of(format).decode(frame));
        assertThat(e).as("decoding must fail with ProtocolDecodeException").isNotNull();
        assertThat(e.error().code()).isEqualTo(40000);
        assertThat(e.error().statusCode()).isEqualTo(400);
        return e.error();
    }

    static Stream<Arguments> wrongTypes() {
        String[][] cases = {
            {"{\"channel\":\"x\"}", "action"},
            {"{\"action\":\"x\"}", "action"},
            {"{\"action\":null}", "action"},
            {"{\"action\":1.5}", "action"},
            {"{\"action\":15,\"messages\":{}}", "messages"},
            {"{\"action\":15,\"messages\":[1]}", "messages[0]"},
            {"{\"action\":15,\"messages\":[{\"name\":7}]}", "name"},
            {"{\"action\":15,\"messages\":[{\"extras\":\"x\"}]}", "extras"},
            {"{\"action\":15,\"messages\":[{\"timestamp\":\"1\"}]}", "timestamp"},
            {"{\"action\":14,\"presence\":[{\"action\":\"sideways\"}]}", "action"},
            {"{\"action\":14,\"presence\":\"x\"}", "presence"},
            {"{\"action\":10,\"channel\":5}", "channel"},
            {"{\"action\":10,\"flags\":\"1\"}", "flags"},
            {"{\"action\":1,\"count\":9999999999}", "count"},
            {"{\"action\":1,\"msgSerial\":true}", "msgSerial"},
            {"{\"action\":9,\"error\":\"oops\"}", "error"},
            {"{\"action\":9,\"error\":{\"code\":\"x\"}}", "code"},
            {"{\"action\":10,\"params\":[]}", "params"},
            {"{\"action\":1,\"res\":{}}", "res"},
            {"{\"action\":1,\"res\":[{\"serials\":[1]}]}", "serials"},
            {"{\"action\":17,\"auth\":\"tok\"}", "auth"},
            {"{\"action\":17,\"auth\":{\"accessToken\":1}}", "accessToken"},
            {"{\"action\":4,\"connectionDetails\":{\"maxIdleInterval\":\"15s\"}}", "maxIdleInterval"},
            {"[{\"action\":1}]", "ProtocolMessage"},
            {"\"action\"", "ProtocolMessage"},
        };
        return Stream.of(Format.values()).flatMap(f -> Stream.of(cases).map(c -> Arguments.of(f, c[0], c[1])));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("wrongTypes")
    void decode_wrongTypeOrMissingAction_throws40000NamingTheField(Format format, String json, String field) {
        ErrorInfo error = decodeError(format, Samples.frame(format, json));

        assertThat(error.message()).contains(field);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_nullValues_areAbsent(Format format) {
        ProtocolMessage pm = decode(
                format,
                "{\"action\":10,\"channel\":\"x\",\"channelSerial\":null,\"flags\":null,"
                        + "\"params\":null,\"messages\":[{\"name\":null,\"data\":null,\"extras\":null}],\"error\":null}");

        assertThat(pm.channelSerial).isNull();
        assertThat(pm.flags).isZero();
        assertThat(pm.params).isNull();
        assertThat(pm.error).isNull();
        assertThat(pm.messages.get(0)).usingRecursiveComparison().isEqualTo(new Message());
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_integralDoubles_areAcceptedForIntegerFields(Format format) {
        ProtocolMessage pm = decode(format, "{\"action\":1e1,\"msgSerial\":3.0,\"timestamp\":1.7e12,\"count\":1.0}");

        assertThat(pm.action).isEqualTo(10);
        assertThat(pm.msgSerial).isEqualTo(3L);
        assertThat(pm.timestamp).isEqualTo(1_700_000_000_000L);
        assertThat(pm.count).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_unknownFieldsWithNestedValues_areSkipped(Format format) {
        ProtocolMessage pm = decode(
                format,
                "{\"zzz\":{\"a\":[1,{\"b\":null},[[]]],\"c\":\"d\"},\"action\":10,"
                        + "\"yyy\":[[],{}],\"channel\":\"x\",\"messages\":[{\"size\":4,\"future\":{\"x\":[1]},\"name\":\"n\"}],"
                        + "\"connectionDetails\":{\"objectsGCGracePeriod\":86400000,\"serverId\":\"s\"},"
                        + "\"error\":{\"cause\":{\"code\":1},\"code\":50000,\"statusCode\":500,\"message\":\"m\"}}");

        assertThat(pm.action).isEqualTo(Action.ATTACH);
        assertThat(pm.channel).isEqualTo("x");
        assertThat(pm.messages.get(0).name).isEqualTo("n");
        assertThat(pm.connectionDetails.serverId).isEqualTo("s");
        assertThat(pm.error).isEqualTo(new ErrorInfo(50000, 500, "m", null));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_errorWithReasonOnly_usesReasonAsMessage(Format format) {
        ProtocolMessage pm =
                decode(format, "{\"action\":9,\"error\":{\"reason\":\"why\",\"code\":40000," + "\"statusCode\":400}}");

        assertThat(pm.error.message()).isEqualTo("why");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_paramsWithNonStringValues_stringifiesThem(Format format) {
        ProtocolMessage pm = decode(
                format,
                "{\"action\":10,\"params\":{\"rewind\":1,\"b\":true,\"o\":{\"k\":[1]}," + "\"s\":\"x\",\"n\":null}}");

        assertThat(pm.params)
                .containsExactly(
                        Map.entry("rewind", "1"),
                        Map.entry("b", "true"),
                        Map.entry("o", "{\"k\":[1]}"),
                        Map.entry("s", "x"));
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decodeMessages_structuredData_becomesJsonTextWithJsonEncoding(Format format) {
        var messages = ProtocolCodec.of(format)
                .decodeMessages(Samples.frame(
                        format,
                        "[{\"data\":{\"x\":[1,\"y\"]}},"
                                + "{\"data\":[1,2]},{\"data\":42},{\"data\":true},{\"data\":{\"a\":1},\"encoding\":\"utf-8\"},"
                                + "{\"encoding\":\"cipher\",\"data\":{}}]"));

        assertThat(messages)
                .extracting(m -> m.data)
                .containsExactly("{\"x\":[1,\"y\"]}", "[1,2]", "42", "true", "{\"a\":1}", "{}");
        assertThat(messages)
                .extracting(m -> m.encoding)
                .containsExactly("json", "json", "json", "json", "utf-8/json", "cipher/json");
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decodeMessages_scalarBody_throws40000(Format format) {
        ProtocolDecodeException e = catchThrowableOfType(
                ProtocolDecodeException.class,
                () -> ProtocolCodec.of(format).decodeMessages(Samples.frame(format, "5")));

        assertThat(e.error().code()).isEqualTo(40000);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_nesting100Deep_isAcceptedAnd101_isRejected(Format format) {
        // the root object is level 1, then 99 or 100 nested arrays
        String ok = "{\"action\":0,\"x\":" + "[".repeat(99) + "]".repeat(99) + "}";
        String tooDeep = "{\"action\":0,\"x\":" + "[".repeat(100) + "]".repeat(100) + "}";

        assertThat(ProtocolCodec.of(format).decode(frame(format, ok)).action).isZero();
        assertThat(decodeError(format, frame(format, tooDeep)).message()).containsIgnoringCase("nest");
        assertThat(ProtocolCodec.of(format).decodeTree(frame(format, "[".repeat(100) + "]".repeat(100))))
                .isNotNull();
        assertThat(catchThrowableOfType(
                        ProtocolDecodeException.class,
                        () -> ProtocolCodec.of(format).decodeTree(frame(format, "[".repeat(101) + "]".repeat(101)))))
                .isNotNull();
    }

    /** Deep nesting built by hand (Jackson's own writer refuses more than 1000 levels). */
    private static byte[] frame(Format format, String json) {
        if (format == Format.JSON) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        return Samples.toMsgpack(json);
    }

    @ParameterizedTest
    @EnumSource(Format.class)
    void decode_nestingOf100000_isRejectedWithoutStackOverflow(Format format) {
        byte[] frame;
        if (format == Format.JSON) {
            frame = ("{\"action\":0,\"x\":" + "[".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        } else {
            frame = new byte[100_000 + 10];
            byte[] head = Samples.toMsgpack("{\"action\":0,\"x\":0}");
            System.arraycopy(head, 0, frame, 0, head.length - 1);
            java.util.Arrays.fill(frame, head.length - 1, frame.length, (byte) 0x91); // fixarray of 1, nested
        }

        decodeError(format, frame);
    }

    @Test
    void decode_malformedJson_throws40000() {
        String[] inputs = {
            "",
            "   ",
            "{",
            "{\"action\":1",
            "{\"action\":1}}",
            "{\"action\":1} x",
            "{\"action\":1}{\"action\":2}",
            "{\"action\":1,}",
            "{action:1}",
            "{'action':1}",
            "nul",
            "{\"action\":01}",
            "{\"action\":1 /* c */}",
            "{\"action\":NaN}"
        };
        for (String input : inputs) {
            decodeError(Format.JSON, input.getBytes(StandardCharsets.UTF_8));
        }
        decodeError(Format.JSON, new byte[] {'{', '"', (byte) 0xff, '"', ':', '1', '}'});
        decodeError(Format.JSON, null);
    }

    @Test
    void decode_malformedMsgpack_throws40000() {
        byte[] valid = ProtocolCodec.of(Format.MSGPACK).encode(Samples.fullProtocolMessage());
        for (int len = 0; len < valid.length; len++) {
            decodeError(Format.MSGPACK, java.util.Arrays.copyOf(valid, len));
        }
        byte[] trailing = java.util.Arrays.copyOf(valid, valid.length + 1);
        decodeError(Format.MSGPACK, trailing);
        decodeError(Format.MSGPACK, new byte[] {(byte) 0xc1});
        decodeError(Format.MSGPACK, new byte[] {(byte) 0x81, 0x01, 0x02}); // int map key
        decodeError(Format.MSGPACK, null);
        // ext as data
        decodeError(Format.MSGPACK, new byte[] {
            (byte) 0x82,
            (byte) 0xa6,
            'a',
            'c',
            't',
            'i',
            'o',
            'n',
            15,
            (byte) 0xa8,
            'm',
            'e',
            's',
            's',
            'a',
            'g',
            'e',
            's',
            (byte) 0x91,
            (byte) 0x81,
            (byte) 0xa4,
            'd',
            'a',
            't',
            'a',
            (byte) 0xd4,
            1,
            1
        });
    }

    @Test
    void decode_msgpackHeadersClaimingHugeLengths_failFastWithoutAllocating() {
        byte[][] inputs = {
            {(byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // str32 of 2 GB
            {(byte) 0xc6, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // bin32 of 4 GB
            {(byte) 0xdd, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // array32 of 4G elements
            {(byte) 0xdf, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}, // map32 of 4G entries
            {
                (byte) 0x81,
                (byte) 0xa6,
                'a',
                'c',
                't',
                'i',
                'o',
                'n',
                (byte) 0xdb,
                0x7f,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff
            },
            {(byte) 0x81, (byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'a'}, // key of 2 GB
            {
                (byte) 0x82,
                (byte) 0xa6,
                'a',
                'c',
                't',
                'i',
                'o',
                'n',
                1,
                (byte) 0xa1,
                'x',
                (byte) 0xc9,
                0x7f,
                (byte) 0xff,
                (byte) 0xff,
                (byte) 0xff,
                1
            }, // skipped ext32 of 2 GB
        };
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        for (byte[] input : inputs) {
            long before = threads.getCurrentThreadAllocatedBytes();
            decodeError(Format.MSGPACK, input);
            ProtocolCodec codec = ProtocolCodec.of(Format.MSGPACK);
            assertThat(catchThrowableOfType(ProtocolDecodeException.class, () -> codec.decodeTree(input)))
                    .isNotNull();
            assertThat(catchThrowableOfType(ProtocolDecodeException.class, () -> codec.decodeMessages(input)))
                    .isNotNull();
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated").isLessThan(1_000_000);
        }
    }
}

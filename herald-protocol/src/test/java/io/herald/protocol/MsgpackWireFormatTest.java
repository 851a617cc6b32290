package io.herald.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.Value;
import org.msgpack.value.ValueFactory;

/** docs/protocol.md §1.4: text as str, only byte[] data as bin, integers as ints, objects as maps. */
class MsgpackWireFormatTest {
    private static final ProtocolCodec MSGPACK = ProtocolCodec.of(Format.MSGPACK);
    private static final Set<String> INT_FIELDS = Set.of(
            "action",
            "flags",
            "count",
            "msgSerial",
            "timestamp",
            "code",
            "statusCode",
            "maxMessageSize",
            "maxFrameSize",
            "maxInboundRate",
            "maxOutboundRate",
            "connectionStateTtl",
            "maxIdleInterval");
    private static final Set<String> TEXT_FIELDS = Set.of(
            "id",
            "name",
            "clientId",
            "connectionId",
            "connectionKey",
            "channel",
            "channelSerial",
            "encoding",
            "serial",
            "accessToken",
            "message",
            "href",
            "serverId",
            "siteCode");
    private static final Set<String> TREE_FIELDS = Set.of("extras", "version", "annotations", "state", "params");

    private static Value unpack(byte[] bytes) throws IOException {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(bytes)) {
            Value v = u.unpackValue();
            assertThat(u.hasNext()).as("one value, nothing after it").isFalse();
            return v;
        }
    }

    /** Walks a packed value, checking the type of every field it knows (tree members are free-form). */
    private static int check(Value v, String field, List<String> binaryPaths, String path) {
        int checked = 0;
        if (TREE_FIELDS.contains(field)) {
            assertThat(v.isMapValue() || v.isArrayValue())
                    .as(path + " is a map or an array")
                    .isTrue();
            return 1;
        }
        if (INT_FIELDS.contains(field)) {
            assertThat(v.isIntegerValue()).as(path + " is an int").isTrue();
            checked++;
        }
        if (TEXT_FIELDS.contains(field)) {
            assertThat(v.isStringValue()).as(path + " is a str").isTrue();
            checked++;
        }
        if (v.isBinaryValue()) {
            assertThat(field).as(path + " is the only place for bin").isEqualTo("data");
            binaryPaths.add(path);
        }
        if (v.isMapValue()) {
            for (Map.Entry<Value, Value> e : v.asMapValue().entrySet()) {
                assertThat(e.getKey().isStringValue())
                        .as(path + " keys are str")
                        .isTrue();
                String key = e.getKey().asStringValue().asString();
                checked += check(e.getValue(), key, binaryPaths, path + "." + key);
            }
        } else if (v.isArrayValue()) {
            int i = 0;
            for (Value element : v.asArrayValue()) {
                checked += check(element, field, binaryPaths, path + "[" + i++ + "]");
            }
        }
        return checked;
    }

    @Test
    void encode_fullFrame_usesStrForTextIntForNumbersAndMapsForObjects() throws IOException {
        ProtocolMessage pm = Samples.fullProtocolMessage();
        pm.messages.get(1).data = new byte[] {7, 8};
        List<String> binaries = new ArrayList<>();

        int checked = check(unpack(MSGPACK.encode(pm)), "", binaries, "$");

        assertThat(checked).isGreaterThan(40);
        assertThat(binaries).containsExactly("$.messages[1].data");
    }

    @Test
    void encode_stringOf32To255Bytes_usesStr8() {
        ProtocolMessage pm = ProtocolMessage.of(Action.ATTACH, "c".repeat(200));

        byte[] bytes = MSGPACK.encode(pm);

        // {fixmap 2, "action", 10, "channel", str8 200 ...}
        assertThat(bytes[0] & 0xff).isEqualTo(0x82);
        assertThat(bytes[1 + 7 + 1 + 8] & 0xff).isEqualTo(0xd9);
        assertThat(bytes[1 + 7 + 1 + 8 + 1] & 0xff).isEqualTo(200);
    }

    @Test
    void encode_stringsAtEveryHeaderSize_asciiOrNot_readBackByMsgpackCore() throws IOException {
        // ASCII is written in place, anything else through its UTF-8 bytes (also when it starts late in the string):
        // both at each str header's bounds
        List<String> texts = new ArrayList<>();
        for (int n : new int[] {0, 1, 31, 32, 255, 256, 65_535, 65_536}) {
            texts.add("a".repeat(n));
            if (n > 0) {
                texts.add("é" + "a".repeat(n - 1)); // one char, two bytes: crosses the bound a byte early
                texts.add("a".repeat(n - 1) + "\uD83D\uDE00"); // a surrogate pair last: four bytes
                texts.add("\u007F".repeat(n)); // the highest ASCII char
                texts.add("a".repeat(n - 1) + "é"); // ASCII copied, then undone at the last char
            }
        }
        texts.add("x\uD800y"); // a lone surrogate: encoded as String.getBytes does ('?')
        for (String text : texts) {
            ProtocolMessage pm = ProtocolMessage.of(Action.ATTACH, text);
            pm.id = text;

            byte[] bytes = MSGPACK.encode(pm);

            String expected = new String(text.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
            Map<Value, Value> fields = unpack(bytes).asMapValue().map();
            assertThat(fields.get(ValueFactory.newString("channel"))
                            .asStringValue()
                            .asString())
                    .as("a string of %d chars", text.length())
                    .isEqualTo(expected);
            assertThat(fields.get(ValueFactory.newString("id")).asStringValue().asString())
                    .isEqualTo(expected);
            assertThat(MSGPACK.decode(bytes).channel).isEqualTo(expected);
        }
    }

    @Test
    void encodeValue_mapOfMoreThan15And65535Fields_usesMap16AndMap32() throws IOException {
        for (int n : new int[] {15, 16, 300, 70_000}) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                map.put("k" + i, i);
            }
            map.put("tail", Map.of("inner", "x"));

            byte[] bytes = MSGPACK.encodeValue(map);

            MessageFormat expected =
                    n < 15 ? MessageFormat.FIXMAP : n < 65535 ? MessageFormat.MAP16 : MessageFormat.MAP32;
            assertThat(MessageFormat.valueOf(bytes[0]))
                    .as("header for %d fields", n + 1)
                    .isEqualTo(expected);
            Value v = unpack(bytes);
            assertThat(v.asMapValue().size()).isEqualTo(n + 1);
            assertThat(v.toJson()).endsWith("\"tail\":{\"inner\":\"x\"}}");
        }
    }

    @Test
    void encode_integers_areSmallestIntTypes() {
        ProtocolMessage pm = new ProtocolMessage(Action.ACK);
        pm.msgSerial = 1_700_000_000_123L;

        byte[] bytes = MSGPACK.encode(pm);

        // {fixmap 2, "action", positive fixint 1, "msgSerial", uint64}
        assertThat(bytes[1 + 7]).isEqualTo((byte) 1);
        assertThat(bytes[1 + 7 + 1 + 10] & 0xff).isEqualTo(0xcf);
    }

    @Test
    void decode_sdkFramesPackedByMsgpackCore_matchJsonDecode() {
        String json = "{\"action\":15,\"channel\":\"chat:room\",\"msgSerial\":3,\"messages\":[{\"name\":\"n\","
                + "\"data\":\"" + "d".repeat(100) + "\",\"extras\":{\"headers\":{\"k\":\"v\"}}}]}";

        ProtocolMessage fromMsgpack = MSGPACK.decode(Samples.toMsgpack(json));
        ProtocolMessage fromJson = ProtocolCodec.of(Format.JSON).decode(json.getBytes());

        assertThat(fromMsgpack).usingRecursiveComparison().isEqualTo(fromJson);
    }

    @Test
    void decode_ablyCommonFixtures_readDataAndEncodingAndReencodeTheSameValue() throws IOException {
        JsonNode fixtures;
        try (InputStream in = getClass().getResourceAsStream("/msgpack_test_fixtures.json")) {
            fixtures = Samples.JSON.readTree(in);
        }
        assertThat(fixtures).hasSize(8);
        for (JsonNode fixture : fixtures) {
            String name = fixture.get("name").asText();
            byte[] packed = Base64.getDecoder().decode(fixture.get("msgpack").asText());
            // the fixtures are bare {messages, msgSerial}: give them the action every realtime frame must carry
            byte[] frame = withAction(packed, Action.MESSAGE);

            ProtocolMessage pm = MSGPACK.decode(frame);

            assertThat(pm.msgSerial).as(name).isZero();
            Message m = pm.messages.get(0);
            String type = fixture.get("type").asText();
            String expected = fixture.get("data").isTextual()
                    ? fixture.get("data")
                            .asText()
                            .repeat(fixture.get("numRepeat").asInt())
                    : null;
            switch (type) {
                case "string" -> {
                    assertThat(m.data).as(name).isEqualTo(expected);
                    assertThat(m.encoding).as(name).isNull();
                }
                case "binary" -> {
                    assertThat(m.encoding).as(name).isEqualTo("base64");
                    assertThat(Base64.getDecoder().decode((String) m.data))
                            .as(name)
                            .isEqualTo(expected.getBytes());
                }
                default -> {
                    assertThat(m.encoding).as(name).isEqualTo("json");
                    assertThat(Samples.tree((String) m.data)).as(name).isEqualTo(fixture.get("data"));
                }
            }
            // our encoding of what we decoded is the same msgpack value, field for field
            Value ours = unpack(MSGPACK.encode(pm));
            Value theirs = unpack(frame);
            assertThat(ours.asMapValue().map())
                    .as(name)
                    .isEqualTo(theirs.asMapValue().map());
        }
    }

    /** Prepends {@code "action": n} to a packed fixmap. */
    private static byte[] withAction(byte[] fixmap, int action) {
        int header = fixmap[0] & 0xff;
        assertThat(header & 0xf0).isEqualTo(0x80);
        byte[] key = {(byte) 0xa6, 'a', 'c', 't', 'i', 'o', 'n', (byte) action};
        byte[] out = new byte[fixmap.length + key.length];
        out[0] = (byte) (header + 1);
        System.arraycopy(key, 0, out, 1, key.length);
        System.arraycopy(fixmap, 1, out, 1 + key.length, fixmap.length - 1);
        return out;
    }
}

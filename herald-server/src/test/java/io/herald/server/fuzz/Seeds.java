package io.herald.server.fuzz;

import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Valid inputs the fuzzers start from: protocol frames and REST bodies as ably-js and ably-java send them. */
final class Seeds {
    static final List<String> JSON_FRAMES = List.of(
            "{\"action\":0}",
            "{\"action\":10,\"channel\":\"chat:room\",\"flags\":458752,\"params\":{\"rewind\":\"10\"}}",
            "{\"action\":10,\"channel\":\"[?rewind=1&delta=vcdiff]chat\",\"channelSerial\":\"abc:1\"}",
            "{\"action\":15,\"channel\":\"chat\",\"msgSerial\":3,\"messages\":[{\"id\":\"m:0\",\"name\":\"greeting\","
                    + "\"data\":\"hello\",\"clientId\":\"alice\",\"extras\":{\"headers\":{\"k\":\"v\"}}},"
                    + "{\"name\":\"bin\",\"data\":\"AAEC\",\"encoding\":\"base64\"},"
                    + "{\"name\":\"obj\",\"data\":\"{\\\"a\\\":[1,2,{\\\"b\\\":null}]}\",\"encoding\":\"json\"}]}",
            "{\"action\":14,\"channel\":\"chat\",\"msgSerial\":4,\"presence\":[{\"action\":2,\"clientId\":\"bob\","
                    + "\"data\":{\"status\":\"here\"}}]}",
            "{\"action\":17,\"auth\":{\"accessToken\":\"hdt1.abc.def\"}}",
            "{\"action\":12,\"channel\":\"chat\"}",
            "{\"action\":7}",
            "{\"action\":20,\"channel\":\"chat\",\"annotations\":[{\"type\":\"reaction\",\"name\":\"like\"}]}");

    static final List<String> MESSAGE_BODIES = List.of(
            "{\"name\":\"a\",\"data\":\"b\"}",
            "[{\"name\":\"a\",\"data\":\"b\",\"id\":\"x:1\"},{\"name\":\"c\",\"data\":{\"n\":1},\"extras\":{\"push\":{}}}]",
            "{\"data\":\"AAEC\",\"encoding\":\"base64\",\"clientId\":\"alice\",\"connectionKey\":\"k\"}");

    static final List<String> PRESENCE_BODIES = List.of(
            "[{\"action\":2,\"clientId\":\"bob\",\"data\":\"hi\"}]",
            "{\"action\":4,\"clientId\":\"a\",\"encoding\":\"json\",\"data\":\"{}\"}");

    private Seeds() {}

    static List<byte[]> utf8(List<String> s) {
        return s.stream().map(x -> x.getBytes(StandardCharsets.UTF_8)).toList();
    }

    /** The JSON frames re-encoded as msgpack by Herald's own codec (binary data stays binary). */
    static List<byte[]> msgpackFrames() {
        List<byte[]> out = new ArrayList<>();
        for (String json : JSON_FRAMES) {
            out.add(ProtocolCodec.of(Format.MSGPACK)
                    .encode(ProtocolCodec.of(Format.JSON).decode(json.getBytes(StandardCharsets.UTF_8))));
        }
        return out;
    }

    static List<byte[]> msgpackBodies(List<String> jsonBodies) {
        List<byte[]> out = new ArrayList<>();
        for (String json : jsonBodies) {
            out.add(ProtocolCodec.of(Format.MSGPACK)
                    .encodeValue(ProtocolCodec.of(Format.JSON).decodeTree(json.getBytes(StandardCharsets.UTF_8))));
        }
        return out;
    }
}

package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.msgpack.jackson.dataformat.MessagePackFactory;

/** Sample wire objects with every field set, and JSON-to-msgpack conversion for test inputs. */
final class Samples {
    static final ObjectMapper JSON = new ObjectMapper();
    static final ObjectMapper MSGPACK = new ObjectMapper(new MessagePackFactory());

    private Samples() {}

    static JsonNode tree(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The same value as msgpack (text as str, integers as ints), the way an SDK would send it. */
    static byte[] toMsgpack(String json) {
        try {
            return MSGPACK.writeValueAsBytes(tree(json));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A frame as the given format would carry the JSON text. */
    static byte[] frame(Format format, String json) {
        return format == Format.JSON ? json.getBytes(StandardCharsets.UTF_8) : toMsgpack(json);
    }

    /** Any msgpack value as a JSON tree (bin as base64 text), for comparisons. */
    static JsonNode msgpackToTree(byte[] msgpack) {
        try {
            return MSGPACK.readTree(msgpack);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Message fullMessage() {
        Message m = new Message("greeting", "hello world");
        m.id = "cid1:0:0";
        m.encoding = "utf-8";
        m.clientId = "alice";
        m.connectionId = "cid1";
        m.connectionKey = "cid1!key";
        m.timestamp = 1_700_000_000_123L;
        m.extras = tree("{\"headers\":{\"k\":\"v\"},\"push\":{\"n\":[1,2.5,true,null]}}");
        m.action = 1;
        m.serial = "01700000000123-000@abc:000";
        m.version = tree("{\"serial\":\"v1\",\"timestamp\":1700000000999,\"metadata\":{\"a\":\"b\"}}");
        m.annotations = tree("{\"summary\":{\"reaction:distinct.v1\":{\"x\":{\"total\":1}}}}");
        return m;
    }

    static PresenceMessage fullPresence() {
        PresenceMessage p = new PresenceMessage();
        p.id = "cid1:3:0";
        p.action = PresenceMessage.UPDATE;
        p.clientId = "alice";
        p.connectionId = "cid1";
        p.data = "{\"mood\":\"ok\"}";
        p.encoding = "json";
        p.extras = tree("{\"headers\":{\"h\":\"1\"}}");
        p.timestamp = 1_700_000_000_456L;
        return p;
    }

    static ConnectionDetails connectionDetails() {
        ConnectionDetails cd = new ConnectionDetails();
        cd.clientId = "alice";
        cd.connectionKey = "cid1!key";
        cd.maxMessageSize = 65536L;
        cd.maxFrameSize = 524288L;
        cd.maxInboundRate = 250L;
        cd.maxOutboundRate = 100L;
        cd.connectionStateTtl = 120000L;
        cd.maxIdleInterval = 15000L;
        cd.serverId = "herald-1";
        cd.siteCode = "local";
        return cd;
    }

    /** A ProtocolMessage with every field set (not a realistic frame: a field coverage sample). */
    static ProtocolMessage fullProtocolMessage() {
        ProtocolMessage pm = new ProtocolMessage(Action.MESSAGE);
        pm.flags = Flags.MODE_DEFAULT | Flags.HAS_PRESENCE;
        pm.id = "cid1:7";
        pm.channel = "chat:room";
        pm.channelSerial = "ser:42";
        pm.connectionId = "cid1";
        pm.connectionKey = "cid1!key";
        pm.connectionDetails = connectionDetails();
        pm.count = 2;
        pm.error = new ErrorInfo(40160, 401, "Operation not permitted", "https://example.test/40160");
        pm.msgSerial = 7L;
        pm.timestamp = 1_700_000_000_123L;
        pm.messages = new ArrayList<>(List.of(fullMessage(), new Message("n2", "d2")));
        pm.presence = new ArrayList<>(List.of(fullPresence()));
        pm.auth = new AuthDetails("tok-123");
        Map<String, String> params = new LinkedHashMap<>();
        params.put("rewind", "1");
        params.put("delta", "vcdiff");
        pm.params = params;
        pm.res = new ArrayList<>(
                List.of(new PublishResult(Arrays.asList("s1", null, "s3")), new PublishResult(List.of("s4"))));
        pm.state = tree("[{\"operation\":{\"action\":0,\"objectId\":\"o1\"}}]");
        pm.annotations = tree("[{\"type\":\"reaction:distinct.v1\",\"name\":\"x\"}]");
        return pm;
    }
}

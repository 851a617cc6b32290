package io.herald.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.protocol.WireReader.Kind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads the Ably types from a {@link WireReader}, the same for JSON and msgpack. Field names follow SPEC TR4
 * (ProtocolMessage), TM2 (Message), TP3 (PresenceMessage), TI1 (ErrorInfo), CD2 (ConnectionDetails), AD1 (auth) and
 * TR4s (res). Unknown fields are skipped and {@code null} values count as absent (docs/protocol.md §1.3).
 */
final class WireDecoder {
    private WireDecoder() {}

    /** One ProtocolMessage; {@code action} is required (a frame without one is a 40000). */
    static ProtocolMessage protocolMessage(WireReader r) {
        r.expect(Kind.OBJECT, "ProtocolMessage");
        ProtocolMessage pm = new ProtocolMessage();
        boolean hasAction = false;
        r.beginObject();
        for (String f = r.nextField(); f != null; f = r.nextField()) {
            if (r.kind() == Kind.NULL) {
                r.nil();
                continue;
            }
            switch (f) {
                case "action" -> {
                    pm.action = r.readInt(f);
                    hasAction = true;
                }
                case "flags" -> pm.flags = r.readInt(f);
                case "id" -> pm.id = r.readString(f);
                case "channel" -> pm.channel = r.readString(f);
                case "channelSerial" -> pm.channelSerial = r.readString(f);
                case "connectionId" -> pm.connectionId = r.readString(f);
                case "connectionKey" -> pm.connectionKey = r.readString(f);
                case "connectionDetails" -> pm.connectionDetails = connectionDetails(r);
                case "count" -> pm.count = r.readInt(f);
                case "error" -> pm.error = errorInfo(r, f);
                case "msgSerial" -> pm.msgSerial = r.readLong(f);
                case "timestamp" -> pm.timestamp = r.readLong(f);
                case "messages" -> pm.messages = messages(r, f);
                case "presence" -> pm.presence = presenceMessages(r, f);
                case "auth" -> pm.auth = auth(r);
                case "params" -> pm.params = params(r);
                case "res" -> pm.res = res(r);
                case "state" -> pm.state = r.readTree();
                case "annotations" -> pm.annotations = r.readTree();
                default -> r.skip();
            }
        }
        if (!hasAction) {
            throw WireReader.bad("Invalid ProtocolMessage: no action");
        }
        return pm;
    }

    /** A REST body: one Message object or an array of them. */
    static List<Message> messageBody(WireReader r) {
        if (r.kind() == Kind.OBJECT) {
            List<Message> one = new ArrayList<>(1);
            one.add(message(r));
            return one;
        }
        if (r.kind() != Kind.ARRAY) {
            throw WireReader.bad("Invalid request body: expected a Message object or an array of them");
        }
        return messages(r, "messages");
    }

    /** A REST body: one PresenceMessage object or an array of them. */
    static List<PresenceMessage> presenceBody(WireReader r) {
        if (r.kind() == Kind.OBJECT) {
            List<PresenceMessage> one = new ArrayList<>(1);
            one.add(presenceMessage(r));
            return one;
        }
        if (r.kind() != Kind.ARRAY) {
            throw WireReader.bad("Invalid request body: expected a PresenceMessage object or an array of them");
        }
        return presenceMessages(r, "presence");
    }

    static List<Message> messages(WireReader r, String field) {
        r.expect(Kind.ARRAY, field);
        List<Message> list = new ArrayList<>();
        r.beginArray();
        while (r.nextElement()) {
            r.expect(Kind.OBJECT, field + "[" + list.size() + "]");
            list.add(message(r));
        }
        return list;
    }

    static List<PresenceMessage> presenceMessages(WireReader r, String field) {
        r.expect(Kind.ARRAY, field);
        List<PresenceMessage> list = new ArrayList<>();
        r.beginArray();
        while (r.nextElement()) {
            r.expect(Kind.OBJECT, field + "[" + list.size() + "]");
            list.add(presenceMessage(r));
        }
        return list;
    }

    static Message message(WireReader r) {
        Message m = new Message();
        boolean jsonData = false;
        r.beginObject();
        for (String f = r.nextField(); f != null; f = r.nextField()) {
            if (r.kind() == Kind.NULL) {
                r.nil();
                continue;
            }
            switch (f) {
                case "id" -> m.id = r.readString(f);
                case "name" -> m.name = r.readString(f);
                case "data" -> {
                    jsonData = isStructured(r.kind());
                    m.data = data(r);
                }
                case "encoding" -> m.encoding = r.readString(f);
                case "clientId" -> m.clientId = r.readString(f);
                case "connectionId" -> m.connectionId = r.readString(f);
                case "connectionKey" -> m.connectionKey = r.readString(f);
                case "timestamp" -> m.timestamp = r.readLong(f);
                case "extras" -> m.extras = r.readObjectTree(f);
                case "action" -> m.action = r.readInt(f);
                case "serial" -> m.serial = r.readString(f);
                case "version" -> m.version = r.readObjectTree(f);
                case "annotations" -> m.annotations = r.readObjectTree(f);
                default -> r.skip();
            }
        }
        if (jsonData) {
            m.encoding = appendEncoding(m.encoding, "json");
        }
        return m;
    }

    static PresenceMessage presenceMessage(WireReader r) {
        PresenceMessage p = new PresenceMessage();
        boolean jsonData = false;
        r.beginObject();
        for (String f = r.nextField(); f != null; f = r.nextField()) {
            if (r.kind() == Kind.NULL) {
                r.nil();
                continue;
            }
            switch (f) {
                case "id" -> p.id = r.readString(f);
                case "action" -> p.action = presenceAction(r);
                case "clientId" -> p.clientId = r.readString(f);
                case "connectionId" -> p.connectionId = r.readString(f);
                case "data" -> {
                    jsonData = isStructured(r.kind());
                    p.data = data(r);
                }
                case "encoding" -> p.encoding = r.readString(f);
                case "extras" -> p.extras = r.readObjectTree(f);
                case "timestamp" -> p.timestamp = r.readLong(f);
                default -> r.skip();
            }
        }
        if (jsonData) {
            p.encoding = appendEncoding(p.encoding, "json");
        }
        return p;
    }

    /** An int (SPEC TP2), or on REST bodies one of the names {@code absent}, {@code present}, ... */
    private static int presenceAction(WireReader r) {
        if (r.kind() != Kind.STRING) {
            return r.readInt("action");
        }
        String name = r.string();
        return switch (name) {
            case "absent" -> PresenceMessage.ABSENT;
            case "present" -> PresenceMessage.PRESENT;
            case "enter" -> PresenceMessage.ENTER;
            case "leave" -> PresenceMessage.LEAVE;
            case "update" -> PresenceMessage.UPDATE;
            default -> throw WireReader.bad("Invalid field 'action': unknown presence action '" + name + "'");
        };
    }

    /**
     * {@code data} (docs/protocol.md §7.3): a string stays a String, {@code bin} becomes byte[], anything else (an
     * object, array, number or boolean from a raw REST body) becomes its JSON text; the caller appends {@code json}.
     */
    private static Object data(WireReader r) {
        return switch (r.kind()) {
            case STRING -> r.string();
            case BINARY -> r.binary();
            default -> r.readTree().toString();
        };
    }

    private static boolean isStructured(Kind kind) {
        return kind != Kind.STRING && kind != Kind.BINARY;
    }

    /** Adds one step to an encoding chain: {@code null} + json = {@code json}, {@code utf-8} + json = {@code utf-8/json}. */
    static String appendEncoding(@Nullable String encoding, String step) {
        return encoding == null || encoding.isEmpty() ? step : encoding + "/" + step;
    }

    /** SPEC TI1; PROTO calls the text {@code reason}, so that is read when {@code message} is missing. */
    static ErrorInfo errorInfo(WireReader r, String field) {
        r.expect(Kind.OBJECT, field);
        String message = null;
        String reason = null;
        String href = null;
        int code = 0;
        int statusCode = 0;
        r.beginObject();
        for (String f = r.nextField(); f != null; f = r.nextField()) {
            if (r.kind() == Kind.NULL) {
                r.nil();
                continue;
            }
            switch (f) {
                case "message" -> message = r.readString(f);
                case "reason" -> reason = r.readString(f);
                case "code" -> code = r.readInt(f);
                case "statusCode" -> statusCode = r.readInt(f);
                case "href" -> href = r.readString(f);
                default -> r.skip();
            }
        }
        if (message == null) {
            message = reason;
        }
        if (message == null) {
            ErrorCode known = ErrorCode.byCode(code);
            message = known != null ? known.defaultMessage() : "";
        }
        return new ErrorInfo(code, statusCode, message, href);
    }

    /** SPEC CD2: every number is an integer on the wire. */
    private static ConnectionDetails connectionDetails(WireReader r) {
        r.expect(Kind.OBJECT, "connectionDetails");
        ConnectionDetails cd = new ConnectionDetails();
        r.beginObject();
        for (String f = r.nextField(); f != null; f = r.nextField()) {
            if (r.kind() == Kind.NULL) {
                r.nil();
                continue;
            }
            switch (f) {
                case "clientId" -> cd.clientId = r.readString(f);
                case "connectionKey" -> cd.connectionKey = r.readString(f);
                case "maxMessageSize" -> cd.maxMessageSize = r.readLong(f);
                case "maxFrameSize" -> cd.maxFrameSize = r.readLong(f);
                case "maxInboundRate" -> cd.maxInboundRate = r.readLong(f);
                case "maxOutboundRate" -> cd.maxOutboundRate = r.readLong(f);
                case "connectionStateTtl" -> cd.connectionStateTtl = r.readLong(f);
                case "maxIdleInterval" -> cd.maxIdleInterval = r.readLong(f);
                case "serverId" -> cd.serverId = r.readString(f);
                case "siteCode" -> cd.siteCode = r.readString(f);
                case "objectsGCGracePeriod" -> cd.objectsGCGracePeriod = r.readLong(f);
                default -> r.skip();
            }
        }
        return cd;
    }

    /** SPEC AD1: {@code {"accessToken":"..."}}. */
    private static AuthDetails auth(WireReader r) {
        r.expect(Kind.OBJECT, "auth");
        AuthDetails auth = new AuthDetails();
        r.beginObject();
        for (String f = r.nextField(); f != null; f = r.nextField()) {
            if (r.kind() != Kind.NULL && f.equals("accessToken")) {
                auth.accessToken = r.readString(f);
            } else {
                r.skip();
            }
        }
        return auth;
    }

    /** Channel params (SPEC RTL4k): string to string; other scalars become their text, objects their JSON. */
    private static Map<String, String> params(WireReader r) {
        r.expect(Kind.OBJECT, "params");
        Map<String, String> params = new LinkedHashMap<>();
        r.beginObject();
        for (String f = r.nextField(); f != null; f = r.nextField()) {
            JsonNode v = r.readTree();
            if (v.isTextual()) {
                params.put(f, v.textValue());
            } else if (v.isContainerNode() || v.isBinary()) {
                params.put(f, v.toString());
            } else if (!v.isNull()) {
                params.put(f, v.asText());
            }
        }
        return params;
    }

    /** ACK {@code res} (SPEC TR4s): {@code [{"serials":["..", null]}, null]}. */
    private static List<PublishResult> res(WireReader r) {
        r.expect(Kind.ARRAY, "res");
        List<PublishResult> res = new ArrayList<>();
        r.beginArray();
        while (r.nextElement()) {
            if (r.kind() == Kind.NULL) {
                r.nil();
                res.add(null);
                continue;
            }
            r.expect(Kind.OBJECT, "res[" + res.size() + "]");
            List<String> serials = null;
            r.beginObject();
            for (String f = r.nextField(); f != null; f = r.nextField()) {
                if (r.kind() != Kind.NULL && f.equals("serials")) {
                    serials = serials(r);
                } else {
                    r.skip();
                }
            }
            res.add(new PublishResult(serials));
        }
        return res;
    }

    private static List<String> serials(WireReader r) {
        r.expect(Kind.ARRAY, "serials");
        List<String> serials = new ArrayList<>();
        r.beginArray();
        while (r.nextElement()) {
            if (r.kind() == Kind.NULL) {
                r.nil();
                serials.add(null);
            } else {
                serials.add(r.readString("serials"));
            }
        }
        return serials;
    }
}

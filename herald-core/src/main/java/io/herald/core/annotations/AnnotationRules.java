package io.herald.core.annotations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.channel.MessageRules;
import io.herald.core.engine.Summaries;
import io.herald.core.engine.Versions;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * What an annotation a client sends may be (docs/protocol.md §7.10; SPEC TAN2, RSAN1, RTAN1): the fields are
 * checked and the annotation is rebuilt from the known ones only, so nothing a client adds (a serial, a timestamp,
 * another connection's id, unknown fields) reaches the log.
 */
public final class AnnotationRules {
    /** Longest annotation {@code type}. */
    public static final int MAX_TYPE_LENGTH = 256;
    /** Longest annotation {@code name}. */
    public static final int MAX_NAME_LENGTH = 256;
    /** Longest annotation {@code id}. */
    public static final int MAX_ID_LENGTH = 256;
    /** Most annotations in one publish (one ANNOTATION frame or one REST body). */
    public static final int MAX_PER_PUBLISH = 100;

    /** {@code namespace:method.vN}: a namespace without a colon, then the aggregation method and its version. */
    private static final Pattern TYPE = Pattern.compile("[^:\\s]+:[a-z]+\\.v[0-9]+");

    private AnnotationRules() {}

    /** The annotations of a publish: a JSON array (or, over REST, one object). 40003 for anything else. */
    public static List<JsonNode> list(@Nullable JsonNode raw) {
        if (raw == null || raw.isNull() || raw.isMissingNode()) {
            throw invalid("no annotations to publish");
        }
        List<JsonNode> out = new ArrayList<>();
        if (raw.isObject()) {
            out.add(raw);
        } else if (raw.isArray()) {
            raw.forEach(out::add);
        } else {
            throw invalid("annotations must be an array of annotation objects");
        }
        if (out.isEmpty()) {
            throw invalid("no annotations to publish");
        }
        if (out.size() > MAX_PER_PUBLISH) {
            throw new AblyException(
                    ErrorCode.MESSAGE_TOO_LARGE,
                    "Too many annotations in one publish: " + out.size() + " is more than the limit of "
                            + MAX_PER_PUBLISH);
        }
        return out;
    }

    /**
     * The annotation as it will be kept: {@code action} (0 create, 1 delete), {@code messageSerial} (from the path
     * over REST, which must agree with any in the body), {@code type}, and optionally {@code id}, {@code name},
     * {@code count}, {@code data} with its {@code encoding}, {@code extras}; then the server's {@code clientId},
     * {@code connectionId}, {@code timestamp} and {@code extras.userClaim}. 40003 for a missing or malformed field, 40012 for a clientId the
     * credentials do not allow.
     */
    public static ObjectNode normalize(
            JsonNode raw, @Nullable String pathSerial, MessageRules.Publisher publisher, long now, String defaultId) {
        if (!(raw instanceof ObjectNode in)) {
            throw invalid("an annotation must be an object");
        }
        ObjectNode a = JsonNodeFactory.instance.objectNode();
        String id = optionalText(in, "id", MAX_ID_LENGTH);
        a.put("id", id == null || id.isEmpty() ? defaultId : id);
        JsonNode action = in.get("action");
        int act = Summaries.CREATE;
        if (action != null && !action.isNull()) {
            if (!action.isIntegralNumber()
                    || (action.asInt() != Summaries.CREATE && action.asInt() != Summaries.DELETE)) {
                throw invalid("action must be 0 (annotation.create) or 1 (annotation.delete), got " + action);
            }
            act = action.asInt();
        }
        a.put("action", act);
        String serial = optionalText(in, "messageSerial", 256);
        if (pathSerial != null) {
            if (serial != null && !Versions.sameSerial(serial, pathSerial)) {
                throw invalid("the annotation's messageSerial '" + serial + "' is not the one in the path ('"
                        + pathSerial + "')");
            }
            serial = pathSerial;
        }
        if (serial == null || serial.isEmpty()) {
            throw invalid("an annotation needs the messageSerial of the message it annotates");
        }
        a.put("messageSerial", Versions.canonical(serial));
        String type = optionalText(in, "type", MAX_TYPE_LENGTH);
        if (type == null || type.isEmpty()) {
            throw invalid("an annotation needs a type (namespace:method.v1, e.g. reactions:distinct.v1)");
        }
        if (!TYPE.matcher(type).matches()) {
            throw invalid("invalid annotation type '" + type
                    + "': the format is namespace:method.version, e.g. reactions:distinct.v1");
        }
        if (Summaries.method(type) == null) {
            throw invalid("unsupported annotation type '" + type + "': the aggregation method must be one of "
                    + String.join(", ", new java.util.TreeSet<>(Summaries.METHODS)));
        }
        a.put("type", type);
        String name = optionalText(in, "name", MAX_NAME_LENGTH);
        if (name != null) {
            a.put("name", name);
        }
        JsonNode count = in.get("count");
        if (count != null && !count.isNull()) {
            if (!count.isIntegralNumber() || count.asLong() < 1 || count.asLong() > Integer.MAX_VALUE) {
                throw invalid("count must be a whole number from 1 to " + Integer.MAX_VALUE + ", got " + count);
            }
            a.put("count", count.asLong());
        }
        JsonNode extras = in.get("extras");
        if (extras != null && !extras.isNull()) {
            if (!extras.isObject()) {
                throw invalid("extras must be an object");
            }
            extras = extras.deepCopy();
        } else {
            extras = null;
        }
        extras = MessageRules.stampUserClaim(extras, publisher.userClaim());
        if (extras != null) {
            a.set("extras", extras);
        }
        data(in, a);
        String clientId = MessageRules.effectiveClientId(optionalText(in, "clientId", 1024), publisher);
        if (clientId != null) {
            a.put("clientId", clientId);
        }
        if (publisher.connectionId() != null) {
            a.put("connectionId", publisher.connectionId());
        }
        a.put("timestamp", now);
        return a;
    }

    /**
     * {@code data} and {@code encoding}: strings are kept as they are; binary becomes base64 text with
     * {@code base64} added to the encoding, any other JSON value its JSON text with {@code json}, so every format
     * reads the same value back.
     */
    private static void data(ObjectNode in, ObjectNode a) {
        String encoding = optionalText(in, "encoding", 256);
        JsonNode data = in.get("data");
        if (data == null || data.isNull()) {
            return;
        }
        if (data.isTextual()) {
            a.put("data", data.asText());
        } else if (data.isBinary()) {
            try {
                a.put("data", Base64.getEncoder().encodeToString(data.binaryValue()));
            } catch (java.io.IOException e) {
                throw invalid("unreadable binary data");
            }
            encoding = encoding == null || encoding.isEmpty() ? "base64" : encoding + "/base64";
        } else {
            a.put("data", data.toString());
            encoding = encoding == null || encoding.isEmpty() ? "json" : encoding + "/json";
        }
        if (encoding != null && !encoding.isEmpty()) {
            a.put("encoding", encoding);
        }
    }

    /** Whether an annotation type's summary needs the publisher's clientId (every method but total and multiple). */
    public static boolean needsClientId(String type) {
        String method = Summaries.method(type);
        return method != null && !method.equals("total.v1") && !method.equals("multiple.v1");
    }

    /** Whether an annotation of this type must name what it counts (distinct, unique and multiple creates). */
    public static boolean needsName(String type) {
        String method = Summaries.method(type);
        return method != null
                && (method.equals("distinct.v1") || method.equals("unique.v1") || method.equals("multiple.v1"));
    }

    /** The annotation's size as it is kept: the UTF-8 bytes of its JSON form. */
    public static int size(ObjectNode annotation) {
        return annotation.toString().getBytes(StandardCharsets.UTF_8).length;
    }

    private static @Nullable String optionalText(ObjectNode in, String field, int maxLength) {
        JsonNode v = in.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw invalid(field + " must be a string");
        }
        String s = v.asText();
        if (s.length() > maxLength) {
            throw invalid(field + " is longer than " + maxLength + " characters");
        }
        return s;
    }

    static AblyException invalid(String why) {
        return new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid annotation: " + why);
    }
}

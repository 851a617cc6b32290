package io.herald.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.List;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * Binds a YAML file to {@link ConfigFile} with Jackson, refusing keys that no record has, and turns Jackson's errors
 * into messages that name the setting's path ({@code apps[0].keys[1].revocableTokens}) and its line but never its
 * value (a secret can be on that line; Jackson's own messages quote it).
 */
final class ConfigBinding {
    private static final ObjectMapper YAML = JsonMapper.builder(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .addModule(new SimpleModule().addDeserializer(Duration.class, new DurationDeserializer()))
            .build();

    private ConfigBinding() {}

    /**
     * The file's settings, {@code null} for a file with none.
     *
     * @throws IllegalArgumentException with a message safe to print
     */
    static @Nullable ConfigFile bind(byte[] content) {
        JsonNode tree;
        try {
            tree = YAML.readTree(content);
        } catch (IOException e) {
            // never e.getMessage(): it quotes the file (secrets and all) and the offending line
            throw new IllegalArgumentException(YamlErrors.describe(e, content));
        }
        if (tree == null || tree.isNull() || tree.isMissingNode()) {
            return null;
        }
        if (!tree.isObject()) {
            throw new IllegalArgumentException("the top level must be a mapping");
        }
        try {
            return YAML.readValue(content, ConfigFile.class);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(describe(e, tree, content));
        } catch (IOException e) {
            throw new IllegalArgumentException(YamlErrors.describe(e, content));
        }
    }

    /** A duration: a number of ms, or {@code 500ms}, {@code 15s}, {@code 2m}, {@code 24h}. */
    static Duration parseDuration(String text) {
        String s = text.trim();
        if (s.endsWith("ms")) {
            return Duration.ofMillis(
                    Long.parseLong(s.substring(0, s.length() - 2).trim()));
        }
        long num = Long.parseLong(s.substring(0, s.length() - 1).trim());
        return switch (s.charAt(s.length() - 1)) {
            case 's' -> Duration.ofSeconds(num);
            case 'm' -> Duration.ofMinutes(num);
            case 'h' -> Duration.ofHours(num);
            default -> Duration.ofMillis(Long.parseLong(s));
        };
    }

    static String describe(JsonMappingException e, JsonNode tree, byte[] content) {
        List<JsonMappingException.Reference> path = e.getPath();
        JsonMappingException.Reference last = path.isEmpty() ? null : path.get(path.size() - 1);
        int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
        if (last != null && last.getFieldName() != null) {
            line = YamlErrors.lineOfKey(content, last.getFieldName(), line);
        }
        String at = line > 0 ? " at line " + line : "";
        if (e instanceof UnrecognizedPropertyException u) {
            String parent = pathOf(path.subList(0, Math.max(0, path.size() - 1)));
            StringBuilder known = new StringBuilder();
            if (u.getKnownPropertyIds() != null) {
                for (Object k : new TreeSet<>(
                        u.getKnownPropertyIds().stream().map(String::valueOf).toList())) {
                    known.append(known.length() == 0 ? "" : ", ").append(k);
                }
            }
            return (parent.isEmpty() ? "" : parent + ": ") + "unknown setting '" + u.getPropertyName() + "'" + at
                    + " (known: " + known + ")";
        }
        String where = pathOf(path);
        Type type = typeAt(path);
        return (where.isEmpty() ? "the top level" : where) + " must be " + expected(type) + ", got "
                + got(nodeAt(tree, path), type) + at;
    }

    /** The node the path leads to in the file's tree (missing when it leads nowhere). */
    private static JsonNode nodeAt(JsonNode tree, List<JsonMappingException.Reference> path) {
        JsonNode n = tree;
        for (JsonMappingException.Reference r : path) {
            n = r.getFieldName() != null ? n.path(r.getFieldName()) : n.path(r.getIndex());
        }
        return n;
    }

    private static String pathOf(List<JsonMappingException.Reference> path) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null) {
                sb.append(sb.length() == 0 ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.toString();
    }

    /** The declared type of the setting at this path, walking the records of {@link ConfigFile}. */
    private static @Nullable Type typeAt(List<JsonMappingException.Reference> path) {
        Type t = ConfigFile.class;
        for (JsonMappingException.Reference r : path) {
            if (r.getFieldName() != null && t instanceof Class<?> c && c.isRecord()) {
                t = null;
                for (RecordComponent rc : c.getRecordComponents()) {
                    if (rc.getName().equals(r.getFieldName())) {
                        t = rc.getGenericType();
                    }
                }
            } else if (r.getFieldName() == null && t instanceof ParameterizedType p) {
                t = p.getActualTypeArguments()[0];
            } else {
                return null;
            }
            if (t == null) {
                return null;
            }
        }
        return t;
    }

    private static String expected(@Nullable Type t) {
        if (t == Integer.class || t == Long.class) {
            return "an integer";
        }
        if (t == Boolean.class) {
            return "true or false";
        }
        if (t == Duration.class) {
            return "a duration (a number of ms, or e.g. 500ms, 15s, 2m, 24h)";
        }
        if (t == String.class) {
            return "a single value";
        }
        if (t instanceof ParameterizedType) {
            return "a list";
        }
        if (t instanceof Class<?> c && c.isRecord()) {
            return "a mapping";
        }
        return "of another type";
    }

    /** The kind of the value found ("a string"), never the value itself. */
    private static String got(JsonNode v, @Nullable Type type) {
        return switch (v.getNodeType()) {
            case STRING -> "a string";
            case NUMBER ->
                v.isIntegralNumber()
                        ? (type == Integer.class || type == Long.class ? "a number out of range" : "a number")
                        : "a number with a fraction";
            case BOOLEAN -> "a boolean";
            case ARRAY -> "a list";
            case OBJECT -> "a mapping";
            case NULL, MISSING -> "nothing";
            default -> "a value of another type";
        };
    }

    /** Durations as {@link #parseDuration} reads them; anything else is refused with the setting's path. */
    private static final class DurationDeserializer extends JsonDeserializer<Duration> {
        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (p.currentToken() == JsonToken.VALUE_NUMBER_INT) {
                return Duration.ofMillis(p.getLongValue());
            }
            if (p.currentToken() == JsonToken.VALUE_STRING) {
                String s = p.getText();
                try {
                    return parseDuration(s);
                } catch (RuntimeException e) {
                    return (Duration) ctxt.handleWeirdStringValue(Duration.class, s, "not a duration");
                }
            }
            return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
        }
    }
}

package io.herald.core.objects;

import java.util.Arrays;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A value in a map entry (Ably's ObjectData): a reference to another object, or one leaf value (a boolean, bytes, a
 * number, a string, or JSON kept as its JSON text). Exactly one field is set in a valid value; {@link #isEmpty()} says
 * when none is. Immutable: the bytes are copied in and out.
 */
public final class ObjectData {
    private final @Nullable String objectId;
    private final @Nullable Boolean bool;
    private final byte @Nullable [] bytes;
    private final @Nullable Double number;
    private final @Nullable String string;
    private final @Nullable String json;

    private ObjectData(
            @Nullable String objectId,
            @Nullable Boolean bool,
            byte @Nullable [] bytes,
            @Nullable Double number,
            @Nullable String string,
            @Nullable String json) {
        this.objectId = objectId;
        this.bool = bool;
        this.bytes = bytes == null ? null : bytes.clone();
        this.number = number;
        this.string = string;
        this.json = json;
    }

    /** A value with any combination of fields, as read from the wire; validate with {@link #isEmpty()}. */
    public static ObjectData of(
            @Nullable String objectId,
            @Nullable Boolean bool,
            byte @Nullable [] bytes,
            @Nullable Double number,
            @Nullable String string,
            @Nullable String json) {
        return new ObjectData(objectId, bool, bytes, number, string, json);
    }

    public static ObjectData reference(String objectId) {
        return new ObjectData(objectId, null, null, null, null, null);
    }

    public static ObjectData ofString(String value) {
        return new ObjectData(null, null, null, null, value, null);
    }

    public static ObjectData ofNumber(double value) {
        return new ObjectData(null, null, null, value, null, null);
    }

    public static ObjectData ofBoolean(boolean value) {
        return new ObjectData(null, value, null, null, null, null);
    }

    public static ObjectData ofBytes(byte[] value) {
        return new ObjectData(null, null, value, null, null, null);
    }

    /** JSON (an object or array) given as its JSON text, the way the wire carries it. */
    public static ObjectData ofJson(String jsonText) {
        return new ObjectData(null, null, null, null, null, jsonText);
    }

    public @Nullable String objectId() {
        return objectId;
    }

    public @Nullable Boolean bool() {
        return bool;
    }

    public byte @Nullable [] bytes() {
        return bytes == null ? null : bytes.clone();
    }

    public @Nullable Double number() {
        return number;
    }

    public @Nullable String string() {
        return string;
    }

    public @Nullable String json() {
        return json;
    }

    /** Whether no field is set: such a value is refused in a MAP_SET (92000). */
    public boolean isEmpty() {
        return objectId == null && bool == null && bytes == null && number == null && string == null && json == null;
    }

    /** Bytes this value counts for in the size limits, by Ably's rules (OD3): text length, 8 per number, 1 per flag. */
    long size() {
        long n = 0;
        if (bool != null) {
            n += 1;
        }
        if (bytes != null) {
            n += bytes.length;
        }
        if (number != null) {
            n += 8;
        }
        if (string != null) {
            n += string.length();
        }
        if (json != null) {
            n += json.length();
        }
        if (objectId != null) {
            n += objectId.length();
        }
        return n;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ObjectData d
                && Objects.equals(objectId, d.objectId)
                && Objects.equals(bool, d.bool)
                && Arrays.equals(bytes, d.bytes)
                && Objects.equals(number, d.number)
                && Objects.equals(string, d.string)
                && Objects.equals(json, d.json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(objectId, bool, Arrays.hashCode(bytes), number, string, json);
    }

    @Override
    public String toString() {
        if (objectId != null) {
            return "ObjectData{objectId=" + objectId + "}";
        }
        return "ObjectData{" + (bool != null ? "boolean=" + bool : "")
                + (bytes != null ? "bytes=" + bytes.length : "")
                + (number != null ? "number=" + number : "")
                + (string != null ? "string=" + string : "")
                + (json != null ? "json=" + json : "") + "}";
    }
}

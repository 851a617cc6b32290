package io.herald.protocol;

import org.jspecify.annotations.Nullable;

/**
 * Wire formats (docs/protocol.md §1.3, §1.4): JSON goes in WebSocket text frames, msgpack in binary frames.
 */
public enum Format {
    JSON("application/json"),
    MSGPACK("application/x-msgpack");

    private final String contentType;

    Format(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }

    /** {@code json} or {@code msgpack} (case-insensitive) to a Format, {@code null} if neither. */
    public static @Nullable Format fromParam(@Nullable String value) {
        if (value == null) {
            return null;
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "json" -> JSON;
            case "msgpack" -> MSGPACK;
            default -> null;
        };
    }
}

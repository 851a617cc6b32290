package io.herald.protocol;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An Ably error (SPEC TI1-TI5; docs/protocol.md §10.3): on the wire {@code {"message","code","statusCode","href"}}.
 *
 * @param code       Ably error code, e.g. 40142
 * @param statusCode HTTP-style status, e.g. 401
 * @param message    human readable reason
 * @param href       help link; {@code null} means the default {@code https://help.ably.io/error/<code>}
 */
public record ErrorInfo(
        int code, int statusCode, String message, @Nullable String href) {

    public ErrorInfo {
        Objects.requireNonNull(message, "message");
    }

    public static ErrorInfo of(int code, int statusCode, String message) {
        return new ErrorInfo(code, statusCode, message, null);
    }

    /** The help link sent on the wire. */
    public String hrefOrDefault() {
        return href != null ? href : "https://help.ably.io/error/" + code;
    }

    @Override
    public String toString() {
        return "[ErrorInfo " + code + "/" + statusCode + ": " + message + "]";
    }
}

package io.herald.core.session;

import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Format;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The query parameters of a realtime connection (docs/protocol.md §1.2). Unknown parameters are ignored.
 */
public record ConnectParams(
        @Nullable String key,
        @Nullable String accessToken,
        @Nullable String clientId,
        Format format,
        int protocolVersion,
        boolean echo,
        @Nullable String resume,
        @Nullable String recover,
        @Nullable String agent) {

    public static ConnectParams parse(Map<String, String> q) {
        String formatParam = q.get("format");
        Format format = formatParam == null ? Format.JSON : Format.fromParam(formatParam);
        if (format == null) {
            throw new AblyException(
                    ErrorCode.BAD_REQUEST, "Unsupported format '" + formatParam + "': use json or msgpack");
        }
        int v = 6;
        String vp = q.get("v");
        if (vp != null) {
            try {
                v = Integer.parseInt(vp.trim());
            } catch (NumberFormatException e) {
                v = -1;
            }
            if (v < 2 || v > 6) {
                throw new AblyException(
                        ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
                        "Unsupported protocol version '" + vp + "': Herald speaks versions 2 to 6");
            }
        }
        String token = q.get("access_token");
        if (token == null) {
            token = q.get("accessToken");
        }
        String clientId = q.get("clientId");
        return new ConnectParams(
                blankToNull(q.get("key")),
                blankToNull(token),
                clientId,
                format,
                v,
                !"false".equalsIgnoreCase(q.get("echo")),
                blankToNull(q.get("resume")),
                blankToNull(q.get("recover")),
                q.get("agent"));
    }

    private static @Nullable String blankToNull(@Nullable String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}

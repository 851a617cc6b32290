package io.herald.server.netty;

import io.herald.auth.AblyJwt;
import io.herald.auth.HeraldTokens;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of one {@code GET /sse} request (docs/protocol.md §15): the channels, the protocol version, the
 * credentials (turned into the query a realtime connection would carry), where to resume from, the rewind and the
 * envelope. Every refusal is an {@link AblyException} with the Ably code, answered before the stream starts.
 */
record SseRequest(
        List<String> channels,
        Map<String, String> connectQuery,
        @Nullable SseEventId resumeFrom,
        @Nullable String rewind,
        boolean enveloped) {

    /** At most this many channels on one stream. */
    static final int MAX_CHANNELS = 100;

    static SseRequest parse(Map<String, String> query, @Nullable String authorization, @Nullable String lastEventId) {
        String v = query.get("v");
        if (v == null || v.isBlank()) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "The v parameter is required: use v=1.2 or later");
        }
        if (!versionSupported(v.trim())) {
            throw new AblyException(
                    ErrorCode.UNSUPPORTED_PROTOCOL_VERSION,
                    "Unsupported protocol version '" + v + "': use v=1.2 or later");
        }
        List<String> channels = channels(query);
        Map<String, String> connect = new HashMap<>();
        connect.put("format", "json");
        String key = query.get("key");
        String token = query.get("accessToken");
        if (token == null) {
            token = query.get("access_token");
        }
        if (authorization != null && key == null && token == null) {
            int sp = authorization.indexOf(' ');
            String scheme = sp < 0 ? authorization : authorization.substring(0, sp);
            String value = sp < 0 ? "" : authorization.substring(sp + 1).trim();
            if (scheme.equalsIgnoreCase("Basic")) {
                key = basicKey(value);
            } else if (scheme.equalsIgnoreCase("Bearer")) {
                token = bearerToken(value);
            }
        }
        if (key != null) {
            connect.put("key", key);
        }
        if (token != null) {
            connect.put("accessToken", token);
        }
        if (key == null && token == null) {
            throw new AblyException(
                    ErrorCode.INVALID_CREDENTIALS,
                    "No authentication information provided: use key, accessToken or an Authorization header");
        }
        String last = lastEventId != null && !lastEventId.isBlank() ? lastEventId : query.get("lastEvent");
        SseEventId resumeFrom = null;
        if (last != null && !last.isBlank()) {
            resumeFrom = SseEventId.parse(last.trim(), channels);
        }
        String rewind = query.get("rewind");
        if (rewind != null) {
            int n;
            try {
                n = Integer.parseInt(rewind.trim());
            } catch (NumberFormatException e) {
                n = -1;
            }
            if (n < 0 || n > 100) {
                throw new AblyException(
                        ErrorCode.INVALID_PARAMETER_VALUE, "rewind must be a number of messages from 0 to 100");
            }
            rewind = String.valueOf(n);
        }
        String env = query.get("enveloped");
        if (env != null && !env.equals("true") && !env.equals("false")) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "enveloped must be true or false");
        }
        return new SseRequest(List.copyOf(channels), connect, resumeFrom, rewind, !"false".equals(env));
    }

    /** 1.2 and later (Ably's REST/SSE versions), or a plain realtime protocol number of 2 or more. */
    private static boolean versionSupported(String v) {
        String[] parts = v.split("\\.", -1);
        try {
            int major = Integer.parseInt(parts[0]);
            int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            return parts.length <= 2 && (major > 1 || (major == 1 && minor >= 2));
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<String> channels(Map<String, String> query) {
        String list = query.get("channels");
        if (list == null) {
            list = query.get("channel");
        }
        if (list == null || list.isEmpty()) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "The channels parameter is required");
        }
        String sep = query.getOrDefault("separator", ",");
        if (sep.isEmpty()) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "separator must not be empty");
        }
        Set<String> names = new LinkedHashSet<>();
        int from = 0;
        while (from <= list.length()) {
            int at = list.indexOf(sep, from);
            int end = at < 0 ? list.length() : at;
            names.add(list.substring(from, end));
            if (names.size() > MAX_CHANNELS) {
                throw new AblyException(
                        ErrorCode.INVALID_PARAMETER_VALUE,
                        "Too many channels: at most " + MAX_CHANNELS + " on one stream");
            }
            if (at < 0) {
                break;
            }
            from = at + sep.length();
        }
        return new ArrayList<>(names);
    }

    private static String basicKey(String base64) {
        try {
            return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new AblyException(ErrorCode.INVALID_CREDENTIALS, "Invalid Basic authorization header: not base64");
        }
    }

    /** A Bearer token, raw or base64-encoded as the SDKs send it (docs/protocol.md §4.2). */
    private static String bearerToken(String value) {
        if (value.indexOf('.') < 0) {
            try {
                String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
                if (HeraldTokens.looksLikeHeraldToken(decoded) || AblyJwt.looksLikeJwt(decoded)) {
                    return decoded;
                }
            } catch (IllegalArgumentException e) {
                // not base64: the token itself
            }
        }
        return value;
    }
}

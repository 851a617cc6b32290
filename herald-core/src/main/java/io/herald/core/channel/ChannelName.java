package io.herald.core.channel;

import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A channel name as a client gives it, parsed. Rules (DOCS channels; ERR 40010): not empty, no newline, must not
 * start with {@code :}, and a leading {@code [...]} must be a qualifier we know: {@code [?k=v&...]} carries channel
 * params (the channel itself is the rest of the name, SPEC RTS5a1), {@code [meta]} names a metachannel (kept as
 * part of the name), {@code [filter=<base64 expression>?k=v]} names a derived channel whose subscribers only get
 * the messages the filter lets through ({@link MessageFilter}, SPEC RTS5a).
 *
 * @param full     the name as given (what clients see in ATTACHED and MESSAGE frames)
 * @param base     the channel's identity: {@code full} without a {@code [?...]} or {@code [filter=...]} qualifier
 * @param params   params from the qualifier (empty when none)
 * @param filter   a derived channel's filter; null for a plain channel
 */
public record ChannelName(
        String full,
        String base,
        Map<String, String> params,
        @Nullable MessageFilter filter) {
    public static final int MAX_LENGTH = 2048;

    public static ChannelName parse(@Nullable String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("channel name must not be empty");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid("channel name longer than " + MAX_LENGTH + " characters");
        }
        if (name.indexOf('\n') >= 0 || name.indexOf('\r') >= 0) {
            throw invalid("channel name must not contain newlines");
        }
        if (name.charAt(0) == ':') {
            throw invalid("channel name must not start with ':'");
        }
        if (name.charAt(0) != '[') {
            return new ChannelName(name, name, Map.of(), null);
        }
        int close = name.indexOf(']');
        if (close < 0) {
            throw invalid("unterminated '[' qualifier in channel name " + name);
        }
        String qualifier = name.substring(1, close);
        String rest = name.substring(close + 1);
        if (qualifier.startsWith("?")) {
            if (rest.isEmpty() || rest.charAt(0) == '[' || rest.charAt(0) == ':') {
                throw invalid("channel name " + name + " has no valid channel after its params qualifier");
            }
            return new ChannelName(name, rest, parseParams(qualifier.substring(1), name), null);
        }
        if (qualifier.equals("meta")) {
            if (rest.isEmpty()) {
                throw invalid("metachannel name " + name + " has no channel after [meta]");
            }
            return new ChannelName(name, name, Map.of(), null);
        }
        if (qualifier.startsWith("filter=")) {
            if (rest.isEmpty() || rest.charAt(0) == '[' || rest.charAt(0) == ':') {
                throw invalid("derived channel name " + name + " has no valid channel after its filter");
            }
            int q = qualifier.indexOf('?');
            String encoded = qualifier.substring("filter=".length(), q < 0 ? qualifier.length() : q);
            String expression;
            try {
                expression = new String(java.util.Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw invalid("the filter of " + name + " is not base64");
            }
            Map<String, String> params = q < 0 ? Map.of() : parseParams(qualifier.substring(q + 1), name);
            return new ChannelName(name, rest, params, MessageFilter.compile(expression));
        }
        throw invalid("unknown qualifier [" + qualifier + "] in channel name " + name);
    }

    private static Map<String, String> parseParams(String query, String name) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query.isEmpty()) {
            return Map.of();
        }
        for (String pair : query.split("&", -1)) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            try {
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                out.put(k, v);
            } catch (IllegalArgumentException e) {
                throw invalid("malformed params qualifier in channel name " + name);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The namespace of the channel: the part of its name before the first {@code :}, or {@code null}. */
    public @Nullable String namespace() {
        int colon = base.indexOf(':');
        return colon <= 0 ? null : base.substring(0, colon);
    }

    private static AblyException invalid(String message) {
        return new AblyException(ErrorCode.INVALID_CHANNEL_NAME, "Invalid channel name: " + message);
    }
}

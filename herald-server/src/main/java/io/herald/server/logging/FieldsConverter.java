package io.herald.server.logging;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * {@code %fields} in a logback pattern: an event's key-value pairs as {@code " key=value"}, each preceded by a space
 * (nothing when there are none), logfmt style: a value is quoted (with {@code "} and {@code \} escaped) when it is
 * empty, starts with a quote or holds white space, so {@code {"chat:*":["subscribe"]}} stays readable; control
 * characters are always escaped, so a client-chosen value cannot forge a line. {@code null} prints as {@code -}.
 */
public final class FieldsConverter extends ClassicConverter {

    @Override
    public String convert(ILoggingEvent event) {
        List<KeyValuePair> kvps = event.getKeyValuePairs();
        if (kvps == null || kvps.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder(160);
        for (KeyValuePair kv : kvps) {
            sb.append(' ').append(kv.key).append('=');
            value(sb, kv.value);
        }
        return sb.toString();
    }

    /** Printable ASCII without spaces and not starting with a quote: written as it is by {@link #value}. */
    private static boolean isPlain(String s) {
        if (s.isEmpty() || s.charAt(0) == '"') {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f) {
                return false;
            }
        }
        return true;
    }

    static void value(StringBuilder sb, Object value) {
        if (value == null) {
            sb.append('-');
            return;
        }
        String s = value.toString();
        if (isPlain(s)) {
            sb.append(s); // nothing to quote or escape: the usual audit value (key names, ids, capabilities)
            return;
        }
        boolean quote = s.isEmpty() || s.charAt(0) == '"';
        for (int i = 0; i < s.length() && !quote; i++) {
            quote = Character.isWhitespace(s.charAt(i)) || Character.isSpaceChar(s.charAt(i));
        }
        if (quote) {
            sb.append('"');
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote && (c == '"' || c == '\\')) {
                sb.append('\\').append(c);
            } else if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\r') {
                sb.append("\\r");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || c == '\u0085') {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (quote) {
            sb.append('"');
        }
    }
}

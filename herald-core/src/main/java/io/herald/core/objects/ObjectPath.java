package io.herald.core.objects;

import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.util.ArrayList;
import java.util.List;

/**
 * A path into a channel's objects, as the REST objects API takes it: keys separated by dots ({@code votes.up}),
 * relative to an object (the root unless the request names another). The empty path is the object itself. A backslash
 * escapes the next character, so a key may hold a dot ({@code post\.123}), a star or a backslash; a segment that is
 * exactly an unescaped {@code *} is a wildcard, matching every key of one map.
 *
 * @param segments the keys in order; a wildcard segment is {@link Segment#wildcard()}
 */
public record ObjectPath(List<Segment> segments) {
    /** Longest path accepted, in characters. */
    public static final int MAX_LENGTH = 1024;

    /** Most segments a path may have (deeper trees are still readable by object id). */
    public static final int MAX_SEGMENTS = 64;

    /** One segment: a key, or a wildcard. */
    public record Segment(String key, boolean wildcard) {}

    public ObjectPath {
        segments = List.copyOf(segments);
    }

    /** Whether any segment is a wildcard. */
    public boolean hasWildcard() {
        return segments.stream().anyMatch(Segment::wildcard);
    }

    /** This path without its last segment (which must exist). */
    public ObjectPath parent() {
        return new ObjectPath(segments.subList(0, segments.size() - 1));
    }

    /** The last segment (which must exist). */
    public Segment last() {
        return segments.get(segments.size() - 1);
    }

    public boolean isEmpty() {
        return segments.isEmpty();
    }

    /**
     * Parses a path; 40003 for one that is too long, has too many segments, or ends in a lone backslash.
     */
    public static ObjectPath parse(String text) {
        if (text.length() > MAX_LENGTH) {
            throw bad("A path may be at most " + MAX_LENGTH + " characters long");
        }
        List<Segment> out = new ArrayList<>();
        if (text.isEmpty()) {
            return new ObjectPath(out);
        }
        StringBuilder key = new StringBuilder();
        boolean escaped = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\') {
                if (i + 1 == text.length()) {
                    throw bad("A path may not end with an unescaped backslash");
                }
                key.append(text.charAt(++i));
                escaped = true;
            } else if (c == '.') {
                out.add(segment(key, escaped));
                key.setLength(0);
                escaped = false;
            } else {
                key.append(c);
            }
            if (out.size() >= MAX_SEGMENTS) {
                throw bad("A path may have at most " + MAX_SEGMENTS + " segments");
            }
        }
        out.add(segment(key, escaped));
        return new ObjectPath(out);
    }

    private static Segment segment(StringBuilder key, boolean escaped) {
        String k = key.toString();
        return new Segment(k, !escaped && k.equals("*"));
    }

    private static AblyException bad(String message) {
        return new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, message);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < segments.size(); i++) {
            if (i > 0) {
                b.append('.');
            }
            Segment s = segments.get(i);
            if (s.wildcard()) {
                b.append('*');
            } else {
                for (char c : s.key().toCharArray()) {
                    if (c == '.' || c == '\\' || c == '*') {
                        b.append('\\');
                    }
                    b.append(c);
                }
            }
        }
        return b.toString();
    }
}

package io.herald.core.engine;

import org.jspecify.annotations.Nullable;

/**
 * A history query (SPEC RSL2b; docs/protocol.md §9.1).
 *
 * @param kind       messages or presence events
 * @param start      earliest timestamp included (ms), or {@code null}
 * @param end        latest timestamp included (ms), or {@code null}
 * @param limit      at most this many items (1..1000)
 * @param forwards   oldest first when true; newest first (the default) when false
 * @param until      only events at or before this position ({@code untilAttach}), or {@code null}
 * @param cursor     continue after this item (exclusive, in the query's direction), or {@code null}
 */
public record HistoryQuery(
        Kind kind,
        @Nullable Long start,
        @Nullable Long end,
        int limit,
        boolean forwards,
        @Nullable ChannelSerial until,
        @Nullable Cursor cursor) {

    public enum Kind {
        MESSAGES,
        PRESENCE
    }

    /** An item's place in the log: the event's seq and the index within it. */
    public record Cursor(long seq, int index) {
        public static @Nullable Cursor parse(@Nullable String s) {
            if (s == null) {
                return null;
            }
            int dot = s.indexOf('.');
            try {
                if (dot < 0) {
                    return null;
                }
                return new Cursor(Long.parseLong(s.substring(0, dot)), Integer.parseInt(s.substring(dot + 1)));
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public String toString() {
            return seq + "." + index;
        }
    }

    public HistoryQuery {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be 1..1000");
        }
    }
}

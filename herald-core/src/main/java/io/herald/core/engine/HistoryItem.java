package io.herald.core.engine;

/**
 * One item of a history page: a message or presence event, with its place in the log.
 *
 * @param cursor where it sits (for paging)
 * @param item   a {@code Message} or {@code PresenceMessage}, complete (id, connectionId, timestamp, serial); do not mutate
 */
public record HistoryItem(HistoryQuery.Cursor cursor, Object item) {}

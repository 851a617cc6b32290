package io.herald.core.engine;

import java.util.List;

/**
 * A page of history.
 *
 * @param items   in the query's direction
 * @param hasMore whether a query continuing from the last item's cursor may return more
 */
public record HistoryPage(List<HistoryItem> items, boolean hasMore) {
    public HistoryPage {
        items = List.copyOf(items);
    }
}

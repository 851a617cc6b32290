package io.herald.core.engine;

import java.time.Duration;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.CompletionStage;

/**
 * Per-app usage statistics in one-minute buckets, for {@code GET /stats} (docs/protocol.md §10.6). Each node counts
 * its own traffic and merges it here every few seconds; a read answers the totals of every node that shares the
 * engine. Values are keyed by stats entry name ({@code messages.inbound.realtime.messages.count}).
 *
 * <p>Two kinds of values: <b>sums</b> (counts and bytes) are added to what is there, from any node and any number of
 * merges; <b>gauges</b> (peaks, minimums, means of connections and channels) are this node's current values for the
 * minute and replace what this node merged before. A read adds up the gauges of all nodes: exact for means, an upper
 * bound for peaks and a lower bound for minimums when nodes peak at different moments.
 */
public interface StatsStore {

    /**
     * Merges one node's counts for one app and minute.
     *
     * @param minute    the minute's start, ms since the epoch (a multiple of 60 000)
     * @param keep      how long the minute is kept after it ended, at least
     */
    CompletionStage<Void> merge(
            String appId, long minute, Map<String, Long> sums, Map<String, Long> gauges, Duration keep);

    /** The minutes of one app from {@code fromMinute} to {@code toMinute} inclusive that have any value, in order. */
    CompletionStage<NavigableMap<Long, Map<String, Long>>> read(String appId, long fromMinute, long toMinute);
}

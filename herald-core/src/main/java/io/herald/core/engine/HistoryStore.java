package io.herald.core.engine;

import java.util.concurrent.CompletionStage;

/** Reads channel logs: history pages and the replay of missed events. */
public interface HistoryStore {

    CompletionStage<HistoryPage> query(ChannelId channel, HistoryQuery query);

    /**
     * Events after {@code after}, oldest first, at most {@code max}; not continuous if {@code after} has another epoch,
     * was trimmed, or more than {@code max} events were missed.
     */
    CompletionStage<Replay> since(ChannelId channel, ChannelSerial after, int max);

    /** The last {@code count} events (or those of the last {@code millis}), oldest first, for {@code rewind}. */
    CompletionStage<Replay> rewind(ChannelId channel, int count, long millis);

    /**
     * Every version of the message with {@code serial} (docs/protocol.md §7.8), oldest first: the original, then the
     * message as it stood after each update, delete or append; empty when the log does not hold the original. The
     * default reads the log from the original on ({@link Versions#read}); an engine with an index may do better.
     */
    default CompletionStage<java.util.List<io.herald.protocol.Message>> versions(ChannelId channel, String serial) {
        return Versions.read(this, channel, serial);
    }
}

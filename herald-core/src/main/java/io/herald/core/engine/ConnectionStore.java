package io.herald.core.engine;

import java.util.concurrent.CompletionStage;

/**
 * Connection state shared by all nodes, so a client whose node died resumes on another (docs/protocol.md §3.4).
 * The channels come back through the client's re-ATTACH with its channelSerials, replayed from history; presence
 * members are adopted from the presence set by connectionId. A single-node engine may keep nothing here.
 */
public interface ConnectionStore {

    /** Remembers (or refreshes) a connection until {@link ConnectionRecord#expiresAt()}. */
    CompletionStage<Void> save(ConnectionRecord record);

    /** The record, or {@code null} when unknown or expired. */
    CompletionStage<ConnectionRecord> load(String connectionId);

    CompletionStage<Void> remove(String connectionId);

    /**
     * Tells every node that {@code nodeId} now holds the connection: the others drop their copy without publishing
     * presence leaves ({@link EngineListener#onTakeover}).
     */
    CompletionStage<Void> announceTakeover(String connectionId, String nodeId);
}

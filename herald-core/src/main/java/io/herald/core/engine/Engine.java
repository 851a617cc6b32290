package io.herald.core.engine;

/**
 * A complete engine: the stores and the broker over one backend, started with the node's listener.
 */
public interface Engine extends AutoCloseable {

    /** Connects to the backend and starts delivering to {@code listener}. */
    void start(EngineListener listener);

    Broker broker();

    HistoryStore history();

    PresenceStore presence();

    NonceStore nonces();

    RevocationStore revocations();

    ConnectionStore connections();

    /** Attached connections per channel, summed over every node. */
    OccupancyStore occupancy();
    /** Per-app usage statistics (docs/protocol.md §10.6). */
    StatsStore stats();

    /** LiveObjects state per channel; {@link ObjectsStore#UNSUPPORTED} for an engine that keeps none. */
    default ObjectsStore objects() {
        return ObjectsStore.UNSUPPORTED;
    }

    /** Whether the backend is reachable now. */
    boolean isReady();

    /** A short description for logs, e.g. {@code memory} or {@code redis://127.0.0.1:6379}. */
    String describe();

    @Override
    void close();
}

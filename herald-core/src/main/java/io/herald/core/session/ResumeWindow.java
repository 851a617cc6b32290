package io.herald.core.session;

import io.herald.core.config.Timings;
import io.herald.core.engine.ConnectionRecord;
import io.herald.core.engine.ConnectionStore;
import io.herald.core.internal.Ids;
import io.herald.core.transport.Loop;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What lets a client come back to its connection (docs/protocol.md §3.4): the connection key it presents (a new one
 * on every resume, so a stale copy cannot take the connection back), the engine's record of the connection (kept
 * fresh while connected so another node can resume it if this one dies), and the time a connection without a
 * transport stays resumable: its presence members leave after {@code presenceLeaveDelay}, the connection itself ends
 * after {@code connectionStateTtl}. Publish serials and channel serials carry on through the session's
 * {@link PublishQueue} and the client's re-ATTACH. Confined to the session's loop, but for the key.
 */
final class ResumeWindow {
    private static final Logger LOG = LoggerFactory.getLogger(ResumeWindow.class);

    /** The session side of a suspension running out. */
    interface Owner {
        /** presenceLeaveDelay passed without a resume: the connection's members leave. */
        void membersLeave();

        /** connectionStateTtl passed without a resume: the connection ends. */
        void expired();
    }

    private final Owner owner;
    private final Loop loop;
    private final Clock clock;
    private final ConnectionStore store;
    private final Timings timings;
    private final String connectionId;
    private final String appId;
    private final @Nullable String clientId;
    private final String nodeId;
    /** Read by other threads looking a key up. */
    private volatile String key;

    private boolean suspended;
    private Loop.Cancellable recordTimer = Loop.Cancellable.NONE;
    private Loop.Cancellable leaveTimer = Loop.Cancellable.NONE;
    private Loop.Cancellable expiryTimer = Loop.Cancellable.NONE;

    /** {@code key} is the key of a connection continued from another node, {@code null} for a new one. */
    ResumeWindow(
            Owner owner,
            Loop loop,
            Clock clock,
            ConnectionStore store,
            Timings timings,
            String connectionId,
            @Nullable String key,
            String appId,
            @Nullable String clientId,
            String nodeId) {
        this.owner = owner;
        this.loop = loop;
        this.clock = clock;
        this.store = store;
        this.timings = timings;
        this.connectionId = connectionId;
        this.key = key != null ? key : newKey(connectionId);
        this.appId = appId;
        this.clientId = clientId;
        this.nodeId = nodeId;
    }

    private static String newKey(String connectionId) {
        return connectionId + "!" + Ids.urlSafe(12);
    }

    String key() {
        return key;
    }

    boolean matches(String presented) {
        return key.equals(presented);
    }

    /** A client resumed: from now on only a new key takes the connection back. */
    void renewKey() {
        key = newKey(connectionId);
    }

    /** A transport is bound: no suspension runs out, and the record is refreshed every half connectionStateTtl. */
    void connected() {
        suspended = false;
        leaveTimer.cancel();
        expiryTimer.cancel();
        keepRecord();
    }

    private void keepRecord() {
        recordTimer.cancel();
        long ttl = timings.connectionStateTtl().toMillis();
        save(clock.millis() + ttl + ttl / 2);
        recordTimer = loop.schedule(this::keepRecord, ttl / 2, TimeUnit.MILLISECONDS);
    }

    /** The transport is gone without a CLOSE: the connection stays resumable for connectionStateTtl. */
    void suspended() {
        suspended = true;
        recordTimer.cancel();
        long ttl = timings.connectionStateTtl().toMillis();
        save(clock.millis() + ttl);
        leaveTimer = loop.schedule(
                () -> {
                    if (suspended) {
                        owner.membersLeave();
                    }
                },
                timings.presenceLeaveDelay().toMillis(),
                TimeUnit.MILLISECONDS);
        expiryTimer = loop.schedule(
                () -> {
                    if (suspended) {
                        owner.expired();
                    }
                },
                ttl,
                TimeUnit.MILLISECONDS);
    }

    /** The connection ended; as its owner (not after a takeover by another node) its record is forgotten. */
    void ended(boolean owner) {
        suspended = false;
        recordTimer.cancel();
        leaveTimer.cancel();
        expiryTimer.cancel();
        if (owner) {
            store.remove(connectionId);
        }
    }

    private void save(long expiresAt) {
        store.save(new ConnectionRecord(connectionId, key, appId, clientId, nodeId, expiresAt))
                .whenComplete((v, t) -> {
                    if (t != null) {
                        LOG.debug("connection {}: saving its record failed: {}", connectionId, t.toString());
                    }
                });
    }
}

package io.herald.core.engine;

import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * LiveObjects state per channel (docs/liveobjects.md): an {@code io.herald.core.objects.ObjectsState} per channel,
 * changed only through {@link #apply}, which is atomic per channel with the channel's log: the batch is checked,
 * each message gets its serial (the event's position and the message's index, as message serials do) and this
 * store's {@link #siteCode()}, the pool applies it, and one OBJECT event carrying the stamped messages is appended to
 * the channel's log and delivered like any other event (in serial order, exactly once per subscribed node). History
 * and rewind leave OBJECT events out. {@link #snapshot} reads the pool with the log position it corresponds to, so an
 * attach that takes it after reading its own position misses nothing (an event both in the snapshot and delivered
 * after it is skipped by clients, whose objects remember the last serial per site).
 *
 * <p>A shared engine (Redis) would keep the pool next to the channel's log and run check, stamp, apply and append in
 * one script; a durable one would persist the pool with the log entry. An engine that keeps no objects returns
 * {@link #UNSUPPORTED}: OBJECT is then refused with 40000, and ATTACHED carries no HAS_OBJECTS.
 */
public interface ObjectsStore {

    /** Whether this engine keeps LiveObjects. */
    boolean supported();

    /** The siteCode of the serials this store assigns; clients read it from {@code connectionDetails.siteCode}. */
    String siteCode();

    /**
     * Checks, stamps, applies and publishes a batch of operations; fails with the Ably error of the check (92000,
     * 92001, 92002) without changing anything. The outcome's serials are the messages' serials, in order.
     */
    CompletionStage<PublishOutcome> apply(ObjectsRequest request);

    /** The channel's objects (the root at least) and the log position they are current to. */
    CompletionStage<ObjectsSnapshot> snapshot(ChannelId channel);

    /** The store of an engine that keeps no objects. */
    ObjectsStore UNSUPPORTED = new ObjectsStore() {
        @Override
        public boolean supported() {
            return false;
        }

        @Override
        public String siteCode() {
            return "";
        }

        @Override
        public CompletionStage<PublishOutcome> apply(ObjectsRequest request) {
            return CompletableFuture.failedFuture(
                    new AblyException(ErrorCode.BAD_REQUEST, "LiveObjects is not supported by this server's engine"));
        }

        @Override
        public CompletionStage<ObjectsSnapshot> snapshot(ChannelId channel) {
            return CompletableFuture.failedFuture(
                    new AblyException(ErrorCode.BAD_REQUEST, "LiveObjects is not supported by this server's engine"));
        }
    };
}

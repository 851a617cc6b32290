package io.herald.core.engine;

/**
 * Hears every event this node appends to a channel's log, on the node where the publish was made (a client's
 * publish, a REST publish, a lifecycle event), once the engine has accepted it. Another node's events are never
 * heard here, so across a cluster each event is heard exactly once. Runs on the thread that completed the publish:
 * it must only queue work, never block or throw.
 */
@FunctionalInterface
public interface PublishListener {

    /**
     * One event appended.
     *
     * @param request what was published; its message is complete and must not be mutated
     * @param outcome its serial ({@code null} when every message was a duplicate) and each message's serial
     */
    void published(PublishRequest request, PublishOutcome outcome);
}

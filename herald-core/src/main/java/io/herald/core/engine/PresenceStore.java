package io.herald.core.engine;

import java.util.concurrent.CompletionStage;

/**
 * A channel's presence set: the fold of the PRESENCE events of its log (ENTER, UPDATE, PRESENT put a member, LEAVE
 * removes it; the member key is connectionId + clientId). Changes go through {@link Broker#publish}.
 */
public interface PresenceStore {

    CompletionStage<PresenceSnapshot> members(ChannelId channel);
}

package io.herald.redis;

import io.herald.core.engine.ChannelId;
import io.herald.core.engine.PresenceSnapshot;
import io.herald.core.engine.PresenceStore;
import io.herald.core.internal.Stages;
import io.herald.protocol.PresenceMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The presence hash of a channel, read with the log's position in one atomic step ({@code read.lua}). */
final class RedisPresenceStore implements PresenceStore {
    private final LogReader reader;

    RedisPresenceStore(LogReader reader) {
        this.reader = reader;
    }

    @Override
    public CompletionStage<PresenceSnapshot> members(ChannelId channel) {
        return Stages.guard(() -> reader.members(RedisKeys.tag(channel)).thenApply(slice -> {
            List<PresenceMessage> members = new ArrayList<>(slice.items().size());
            for (Object o : slice.items()) {
                members.add(EventCodec.member((byte[]) o));
            }
            return new PresenceSnapshot(members, slice.position());
        }));
    }
}

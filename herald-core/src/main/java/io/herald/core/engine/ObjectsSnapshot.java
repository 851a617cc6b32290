package io.herald.core.engine;

import io.herald.core.objects.ObjectMessage;
import java.util.List;

/**
 * A channel's objects as OBJECT_SYNC messages (the root first) and the position of the channel's log they include
 * every event up to.
 */
public record ObjectsSnapshot(List<ObjectMessage> objects, ChannelSerial position) {
    public ObjectsSnapshot {
        objects = List.copyOf(objects);
    }
}

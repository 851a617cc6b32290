package io.herald.core.objects;

import java.time.Duration;

/**
 * Limits of one channel's objects.
 *
 * @param maxObjects      objects on a channel, the root and deleted objects not yet collected included; an operation
 *                        batch that would create more is refused with 92001
 * @param maxBytes        the channel's objects' total size in bytes, counted by Ably's message size rules (keys,
 *                        string and byte lengths, 8 per number); a batch that would grow it beyond is refused with
 *                        92001
 * @param gcGracePeriod   how long a deleted object or a removed map entry is kept (so a late operation cannot bring
 *                        it back) before it is collected; sent to clients as {@code objectsGCGracePeriod}
 */
public record ObjectsLimits(int maxObjects, long maxBytes, Duration gcGracePeriod) {
    /** 10,000 objects, 4 MiB, one day. */
    public static final ObjectsLimits DEFAULTS = new ObjectsLimits(10_000, 4L * 1024 * 1024, Duration.ofDays(1));

    public ObjectsLimits {
        if (maxObjects < 1 || maxBytes < 1 || gcGracePeriod.isNegative()) {
            throw new IllegalArgumentException("objects limits must be positive");
        }
    }
}

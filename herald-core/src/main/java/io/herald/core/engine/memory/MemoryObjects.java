package io.herald.core.engine.memory;

import io.herald.core.engine.ChannelId;
import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.ObjectsRequest;
import io.herald.core.engine.ObjectsSnapshot;
import io.herald.core.engine.ObjectsStore;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.internal.AblyException;
import io.herald.core.objects.ObjectsLimits;
import io.herald.core.objects.ObjectsState;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The memory engine's LiveObjects: each channel's pool lives in its {@link MemoryChannel}, and a batch is checked,
 * stamped, applied and appended as one OBJECT event under the channel's lock, like a publish.
 */
final class MemoryObjects implements ObjectsStore {
    /** One node, one site: every serial this engine assigns comes from the channel's single log. */
    static final String SITE_CODE = "herald";

    private final MemoryEngine engine;
    private final Clock clock;
    private final ObjectsLimits limits;

    MemoryObjects(MemoryEngine engine, Clock clock, ObjectsLimits limits) {
        this.engine = engine;
        this.clock = clock;
        this.limits = limits;
    }

    @Override
    public boolean supported() {
        return true;
    }

    @Override
    public String siteCode() {
        return SITE_CODE;
    }

    @Override
    public CompletionStage<PublishOutcome> apply(ObjectsRequest request) {
        long now = clock.millis();
        try {
            return CompletableFuture.completedFuture(engine.locked(request.channel(), ch -> {
                ch.trim(now);
                ObjectsState pool = ch.objects(limits);
                request.check(pool);
                ChannelSerial serial = ch.next();
                ObjectsRequest.Applied applied = request.stampAndApply(pool, serial, now, SITE_CODE);
                return engine.deliver(ch, serial, request.event(), request.retention(), now, applied.serials());
            }));
        } catch (AblyException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<ObjectsSnapshot> snapshot(ChannelId channel) {
        return CompletableFuture.completedFuture(engine.locked(
                channel, ch -> new ObjectsSnapshot(ch.objects(limits).snapshot(), ch.position())));
    }
}

package io.herald.redis.testing;

import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.Revocation;
import io.herald.redis.RedisEngine;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A Redis engine as one node of a test cluster, recording what its listener hears. */
public final class Node implements AutoCloseable {
    public final String id;
    public final RedisEngine engine;
    public final BlockingQueue<ChannelEvent> events = new LinkedBlockingQueue<>();
    public final BlockingQueue<Revocation> revocations = new LinkedBlockingQueue<>();
    public final BlockingQueue<String> takeovers = new LinkedBlockingQueue<>();
    public final BlockingQueue<Boolean> readiness = new LinkedBlockingQueue<>();

    public Node(String id, String redisUri) {
        this(id, redisUri, Timings.DEFAULTS);
    }

    public Node(String id, String redisUri, Timings timings) {
        this.id = id;
        CoreConfig config = new CoreConfig(id, Limits.DEFAULTS, timings, false, List.of());
        this.engine = new RedisEngine(new EngineContext(config, Clock.systemUTC(), id, Map.of("redis", redisUri)));
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {
                events.add(event);
            }

            @Override
            public void onRevocation(Revocation revocation) {
                revocations.add(revocation);
            }

            @Override
            public void onTakeover(String connectionId, String nodeId) {
                takeovers.add(connectionId + "@" + nodeId);
            }

            @Override
            public void onReadinessChanged(boolean ready) {
                readiness.add(ready);
            }
        });
    }

    @Override
    public void close() {
        engine.close();
    }
}

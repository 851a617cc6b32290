package io.herald.redis;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineFactory;

/** {@code --engine redis --redis redis://host:6379}: several nodes on one Redis (see {@link RedisSettings}). */
public final class RedisEngineFactory implements EngineFactory {
    @Override
    public String name() {
        return "redis";
    }

    @Override
    public Engine create(EngineContext context) {
        return new RedisEngine(context);
    }
}

package io.herald.redis;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineContractTest;
import io.herald.redis.testing.RedisServerProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/** The engine contract on a real Redis (one per class; every test uses its own app, so its own keys). */
@Tag("redis") // starts redis-server: not in ./herald test --fast
class RedisEngineContractTest extends EngineContractTest {
    private static RedisServerProcess redis;

    @BeforeAll
    static void startRedis() {
        redis = RedisServerProcess.start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @Override
    protected Engine createEngine(EngineContext context) {
        return new RedisEngine(
                new EngineContext(context.config(), context.clock(), context.nodeId(), Map.of("redis", redis.uri())));
    }
}

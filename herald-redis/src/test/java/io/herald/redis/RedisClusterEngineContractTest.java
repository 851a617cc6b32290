package io.herald.redis;

import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.EngineContractTest;
import io.herald.redis.testing.RedisClusterProcess;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;

/**
 * The engine contract on a real three-master Redis Cluster ({@code redis-cluster://}): channel scripts on their
 * slot's master, sharded pub/sub, node-wide keys spread over the shards.
 */
@Tag("redis") // starts redis-server: not in ./herald test --fast
class RedisClusterEngineContractTest extends EngineContractTest {
    private static RedisClusterProcess cluster;

    @BeforeAll
    static void startCluster() {
        cluster = RedisClusterProcess.start(3, 0);
    }

    @AfterAll
    static void stopCluster() {
        cluster.close();
    }

    @Override
    protected Engine createEngine(EngineContext context) {
        return new RedisEngine(
                new EngineContext(context.config(), context.clock(), context.nodeId(), Map.of("redis", cluster.uri())));
    }
}

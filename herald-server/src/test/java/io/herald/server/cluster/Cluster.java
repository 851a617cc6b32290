package io.herald.server.cluster;

import io.herald.redis.testing.RedisServerProcess;
import io.herald.server.e2e.support.HeraldProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A Redis and Herald nodes on it, all real processes, with one app whose key has revocable tokens. */
final class Cluster implements AutoCloseable {
    static final String KEY_NAME = "cluster.k1";
    static final String KEY = KEY_NAME + ":c2VjcmV0LXNlY3JldC1zZWNyZXQ";

    final RedisServerProcess redis;
    final Path config;
    final String redisQuery;
    private final List<HeraldProcess> nodes = new ArrayList<>();

    /** {@code redisQuery} is appended to the Redis URI (e.g. {@code ?nodeTimeout=5s}). */
    Cluster(String redisQuery) throws IOException {
        this(redisQuery, RedisServerProcess.start());
    }

    /** Nodes on the given Redis (started with the persistence a test needs); closing the cluster closes it. */
    Cluster(String redisQuery, RedisServerProcess redis) throws IOException {
        this.redisQuery = redisQuery;
        this.redis = redis;
        Path dir = Files.createDirectories(Path.of("target", "cluster-logs"));
        this.config = Files.createTempFile(dir, "herald-", ".yaml");
        Files.writeString(config, """
                apps:
                  - id: cluster
                    keys:
                      - key: %s
                        revocableTokens: true
                """.formatted(KEY));
    }

    HeraldProcess start(String id) throws IOException {
        HeraldProcess n = HeraldProcess.redis(id, RedisServerProcess.freePort(), redis.uri() + redisQuery, config);
        nodes.add(n);
        return n;
    }

    @Override
    public void close() {
        for (HeraldProcess n : nodes) {
            n.close();
        }
        redis.close();
        try {
            Files.deleteIfExists(config);
        } catch (IOException e) {
            // best effort
        }
    }
}

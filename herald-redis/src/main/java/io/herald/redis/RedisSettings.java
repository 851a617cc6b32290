package io.herald.redis;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The Redis engine's settings, read from the engine option {@code redis}: a Redis URI whose query may carry Herald's
 * own parameters, removed before the URI reaches Lettuce:
 * <ul>
 *   <li>{@code prefix} (default {@code herald}): the first part of every key, so several clusters can share a Redis;
 *   <li>{@code nodeTimeout} (default {@code 30s}): a node whose heartbeat is older than this is dead and its presence
 *       members are removed;
 *   <li>{@code commandTimeout} (default {@code 3s}): a Redis command that takes longer fails with 50300.
 * </ul>
 * Example: {@code redis://127.0.0.1:6379?prefix=herald&nodeTimeout=30s}. Durations are {@code 500ms}, {@code 5s} or
 * {@code 2m}.
 *
 * <p>A Redis Cluster is named by the scheme {@code redis-cluster://} (or {@code rediss-cluster://} for TLS) and one
 * or more seed nodes separated by commas: {@code redis-cluster://:password@10.0.0.1:7000,10.0.0.2:7000?prefix=eu}.
 * The engine learns the rest of the cluster from the seeds.
 *
 * @param uri            the URI for Lettuce (without Herald's parameters); on a cluster, the first seed's
 * @param clusterSeeds   the URIs of the cluster's seed nodes for Lettuce, or none for a single Redis
 * @param prefix         the key prefix
 * @param nodeTimeout    how long a node may miss heartbeats before it is taken for dead
 * @param commandTimeout how long a command may take
 */
public record RedisSettings(
        String uri, List<String> clusterSeeds, String prefix, Duration nodeTimeout, Duration commandTimeout) {
    public static final String OPTION = "redis";
    public static final String DEFAULT_URI = "redis://127.0.0.1:6379";
    private static final String CLUSTER = "-cluster";

    public RedisSettings {
        clusterSeeds = List.copyOf(clusterSeeds);
        if (prefix.isEmpty() || prefix.contains("{") || prefix.contains("}")) {
            throw new IllegalArgumentException(
                    "redis prefix must be non-empty and contain no braces, got '" + prefix + "'");
        }
        if (nodeTimeout.compareTo(Duration.ofSeconds(2)) < 0) {
            throw new IllegalArgumentException("redis nodeTimeout must be at least 2s, got " + nodeTimeout);
        }
        if (commandTimeout.isNegative() || commandTimeout.isZero()) {
            throw new IllegalArgumentException("redis commandTimeout must be positive, got " + commandTimeout);
        }
    }

    /** Reads the {@code redis} option (default {@value #DEFAULT_URI}); fails naming the bad part. */
    public static RedisSettings from(Map<String, String> options) {
        String raw = options.getOrDefault(OPTION, DEFAULT_URI);
        if (raw == null || raw.isBlank()) {
            raw = DEFAULT_URI;
        }
        URI u;
        try {
            u = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("redis URI '" + raw + "' is not a URI: " + e.getMessage());
        }
        String scheme = u.getScheme();
        if (scheme == null || !(scheme.startsWith("redis") || scheme.startsWith("rediss"))) {
            throw new IllegalArgumentException("redis URI '" + raw
                    + "' must start with redis://, rediss://, redis-cluster:// or rediss-cluster://");
        }
        String prefix = "herald";
        Duration nodeTimeout = Duration.ofSeconds(30);
        Duration commandTimeout = Duration.ofSeconds(3);
        List<String> kept = new ArrayList<>();
        String query = u.getRawQuery();
        if (query != null && !query.isEmpty()) {
            for (String part : query.split("&", -1)) {
                if (part.isEmpty()) {
                    continue; // a stray '&': no option
                }
                int eq = part.indexOf('=');
                String name = eq < 0 ? part : part.substring(0, eq);
                String value = eq < 0 ? "" : part.substring(eq + 1);
                switch (name) {
                    case "prefix" -> prefix = value;
                    case "nodeTimeout" -> nodeTimeout = duration("nodeTimeout", value);
                    case "commandTimeout" -> commandTimeout = duration("commandTimeout", value);
                    default -> kept.add(part);
                }
            }
        }
        String base = raw.trim();
        int q = base.indexOf('?');
        if (q >= 0) {
            base = base.substring(0, q);
        }
        String rest = kept.isEmpty() ? "" : "?" + String.join("&", kept);
        if (!scheme.endsWith(CLUSTER)) {
            return new RedisSettings(base + rest, List.of(), prefix, nodeTimeout, commandTimeout);
        }
        List<String> seeds = seeds(raw, scheme.substring(0, scheme.length() - CLUSTER.length()), base, rest);
        return new RedisSettings(seeds.get(0), seeds, prefix, nodeTimeout, commandTimeout);
    }

    /** {@code redis-cluster://[userinfo@]h1:p1,h2:p2[/...]} as one Lettuce URI per seed node. */
    private static List<String> seeds(String raw, String scheme, String base, String rest) {
        String authority = base.substring(base.indexOf("://") + 3);
        int slash = authority.indexOf('/');
        if (slash >= 0) {
            authority = authority.substring(0, slash);
        }
        int at = authority.lastIndexOf('@');
        String userInfo = at < 0 ? "" : authority.substring(0, at + 1);
        List<String> seeds = new ArrayList<>();
        for (String host : authority.substring(at + 1).split(",", -1)) {
            if (host.isBlank()) {
                throw new IllegalArgumentException("redis URI '" + raw + "' names an empty cluster node");
            }
            String seed = scheme + "://" + userInfo + host.trim() + rest;
            try {
                URI check = new URI(seed);
                if (check.getHost() == null) {
                    throw new URISyntaxException(seed, "no host");
                }
            } catch (URISyntaxException e) {
                throw new IllegalArgumentException(
                        "redis URI '" + raw + "': cluster node '" + host + "' is not host:port");
            }
            seeds.add(seed);
        }
        return seeds;
    }

    /** Whether this names a Redis Cluster ({@code redis-cluster://}). */
    public boolean cluster() {
        return !clusterSeeds.isEmpty();
    }

    static Duration duration(String name, String v) {
        try {
            if (v.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2)));
            }
            if (v.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(v.substring(0, v.length() - 1)) * 1000));
            }
            if (v.endsWith("m")) {
                return Duration.ofSeconds(Long.parseLong(v.substring(0, v.length() - 1)) * 60);
            }
            return Duration.ofMillis(Long.parseLong(v));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "redis " + name + " '" + v + "' is not a duration (e.g. 500ms, 30s, 2m)");
        }
    }

    /** The URI without credentials, for logs; a cluster's seeds as {@code redis-cluster://h1:p1,h2:p2}. */
    public String describe() {
        if (!cluster()) {
            return describe(uri);
        }
        List<String> hosts = new ArrayList<>();
        for (String seed : clusterSeeds) {
            String d = describe(seed);
            hosts.add(d.substring(d.indexOf("://") + 3));
        }
        return uri.substring(0, uri.indexOf("://")) + CLUSTER + "://" + String.join(",", hosts);
    }

    private static String describe(String lettuceUri) {
        try {
            URI u = new URI(lettuceUri);
            return new URI(u.getScheme(), null, u.getHost(), u.getPort(), u.getPath(), null, null).toString();
        } catch (URISyntaxException e) {
            return "redis";
        }
    }
}

package io.herald.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.config.Timings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds a {@link ServerConfig} from, in increasing precedence: defaults, the YAML file, {@code HERALD_KEYS}, and the
 * command line. With no key anywhere, a development key with full access is generated. Every error names the setting.
 *
 * <pre>
 * port: 8080
 * host: 0.0.0.0
 * engine: disk              # or memory, redis
 * redis: redis://127.0.0.1:6379
 * dataDir: ./herald-data     # engine disk: where the store lives
 * disk: { fsync: interval, fsyncInterval: 1s, maxDiskBytes: 10gb }
 * serverId: herald-1
 * sandbox: false
 * drainSeconds: 10
 * limits:  { maxMessageSize: 65536, maxInboundRate: 250, maxPresenceMembers: 200, ... }
 * timings: { maxIdleInterval: 15s, connectionStateTtl: 2m, historyRetention: 2m, ... }
 * apps:
 *   - id: myapp
 *     limits: { maxConnectionsPerKey: 1000 }   # this app's own limits, over the node's
 *     namespaces: [ { id: persisted, persisted: true } ]
 *     keys:
 *       - key: myapp.key1:SECRET
 *         capability: '{"chat:*":["publish","subscribe","presence"]}'
 *         revocableTokens: true
 * </pre>
 */
public final class ConfigLoader {
    private static final Set<String> TOP = Set.of("port", "host", "engine", "redis", "serverId", "sandbox", "limits",
            "timings", "apps", "workerThreads", "drainSeconds", "metrics", "cors", "dataDir", "disk");
    private static final Set<String> DISK = Set.of("fsync", "fsyncInterval", "maxDiskBytes", "diskChannels");

    /** Command-line values; {@code null} means not given. */
    public record Overrides(Integer port, String host, String engine, String redis, Boolean sandbox, List<String> keys,
                            String serverId) {
    }

    private ConfigLoader() {
    }

    public static ServerConfig load(Path file, Overrides cli, Map<String, String> env) {
        return load(file, cli, env, ServerConfig.DEFAULT_ENGINE);
    }

    /** As {@link #load(Path, Overrides, Map)}, with the engine used when neither the file nor the command line names one. */
    public static ServerConfig load(Path file, Overrides cli, Map<String, String> env, String defaultEngine) {
        JsonNode root = null;
        if (file != null) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException("config file " + file + ": cannot be read (" + e.getClass().getSimpleName()
                        + ")", e);
            }
            try {
                root = new ObjectMapper(new YAMLFactory()).readTree(content);
            } catch (IOException e) {
                // never e.getMessage(): it quotes the file (secrets and all) and the offending line
                throw new IllegalArgumentException("config file " + file + ": " + YamlErrors.describe(e, content));
            }
            if (root != null && !root.isNull() && !root.isObject()) {
                throw new IllegalArgumentException("config file " + file + ": the top level must be a mapping");
            }
            if (root != null) {
                for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
                    String f = it.next();
                    if (!TOP.contains(f)) {
                        throw new IllegalArgumentException("config file " + file + ": unknown setting '" + f
                                + "' (known: " + String.join(", ", new java.util.TreeSet<>(TOP)) + ")");
                    }
                }
            }
        }
        JsonNode r = root == null ? com.fasterxml.jackson.databind.node.NullNode.instance : root;
        int port = cli.port() != null ? cli.port() : intOf(r, "port", ServerConfig.DEFAULT_PORT);
        String host = cli.host() != null ? cli.host() : textOf(r, "host", ServerConfig.DEFAULT_HOST);
        String engine = cli.engine() != null ? cli.engine() : textOf(r, "engine", defaultEngine);
        String redis = cli.redis() != null ? cli.redis() : textOf(r, "redis", null);
        boolean sandbox = cli.sandbox() != null ? cli.sandbox() : r.path("sandbox").asBoolean(false);
        String serverId = cli.serverId() != null ? cli.serverId()
                : textOf(r, "serverId", "herald-" + io.herald.core.internal.Ids.alphanumeric(6).toLowerCase());
        Limits limits = limits(r.path("limits"), Limits.DEFAULTS);
        Timings timings = timings(r.path("timings"));

        Map<String, AppBuilder> apps = new LinkedHashMap<>();
        JsonNode appsNode = r.path("apps");
        if (!appsNode.isMissingNode() && !appsNode.isNull()) {
            if (!appsNode.isArray()) {
                throw new IllegalArgumentException("apps must be a list");
            }
            int i = 0;
            for (JsonNode a : appsNode) {
                readApp(a, "apps[" + i++ + "]", apps, limits);
            }
        }
        List<String> extraKeys = new ArrayList<>();
        String envKeys = env.get("HERALD_KEYS");
        if (envKeys != null && !envKeys.isBlank()) {
            for (String k : envKeys.split("[,\\s]+")) {
                if (!k.isBlank()) {
                    extraKeys.add(k.trim());
                }
            }
        }
        if (cli.keys() != null) {
            extraKeys.addAll(cli.keys());
        }
        for (String k : extraKeys) {
            ApiKey key = parseKey(k, "--key/HERALD_KEYS");
            apps.computeIfAbsent(key.appId(), AppBuilder::new).keys.add(KeyConfig.fullAccess(key));
        }
        boolean generated = false;
        if (apps.values().stream().allMatch(a -> a.keys.isEmpty()) && !sandbox) {
            ApiKey dev = ApiKey.generate("dev");
            apps.computeIfAbsent("dev", AppBuilder::new).keys.add(KeyConfig.fullAccess(dev));
            generated = true;
        }
        List<AppConfig> appConfigs = new ArrayList<>();
        for (AppBuilder b : apps.values()) {
            appConfigs.add(new AppConfig(b.id, b.keys, b.namespaces.isEmpty()
                    ? List.of(new NamespaceConfig("persisted", true, false, false)) : b.namespaces, List.of(), b.limits));
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (redis != null) {
            options.put("redis", redis);
        }
        diskOptions(r, options);
        checkDisk(engine, options);
        CoreConfig core = new CoreConfig(serverId, limits, timings, sandbox, appConfigs);
        return new ServerConfig(host, port, engine, options, core, intOf(r, "workerThreads", 0),
                intOf(r, "drainSeconds", 10), generated, metricsToken(r.path("metrics"), env),
                allowedOrigins(r.path("cors")));
    }

    /** {@code metrics: { token: ... }}, else {@code HERALD_METRICS_TOKEN}; {@code null} when neither is set. */
    private static String metricsToken(JsonNode n, Map<String, String> env) {
        onlyKnown(n, "metrics", Set.of("token"));
        String token = textOf(n, "token", env.get("HERALD_METRICS_TOKEN"));
        if (token == null || token.isBlank()) {
            return null;
        }
        if (token.length() < 16 || !token.matches("[A-Za-z0-9._~+/=-]+")) {
            throw new IllegalArgumentException("metrics.token must be at least 16 characters of A-Z a-z 0-9 . _ ~ + / = -");
        }
        return token;
    }

    /** {@code cors: { allowedOrigins: [https://app.example.com, ...] }}; default {@code ["*"]}. */
    private static List<String> allowedOrigins(JsonNode n) {
        onlyKnown(n, "cors", Set.of("allowedOrigins"));
        JsonNode list = n.path("allowedOrigins");
        if (list.isMissingNode() || list.isNull()) {
            return List.of("*");
        }
        if (!list.isArray()) {
            throw new IllegalArgumentException("cors.allowedOrigins must be a list of origins, e.g. [https://app.example.com]");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode o : list) {
            String origin = o.asText("").trim();
            if (!origin.equals("*") && !origin.matches("(?i)https?://[a-z0-9.\\[\\]:-]+")) {
                throw new IllegalArgumentException("cors.allowedOrigins: '" + origin
                        + "' is not an origin (scheme://host[:port], no path) or *");
            }
            out.add(origin.equals("*") ? origin : origin.toLowerCase(java.util.Locale.ROOT));
        }
        return out;
    }

    /** With {@code engine: disk}, fails naming the setting when a disk setting is bad. */
    public static void checkDisk(String engine, Map<String, String> options) {
        if (engine.equalsIgnoreCase("disk")) {
            try {
                io.herald.disk.DiskSettings.from(options);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException("disk: " + e.getMessage(), e);
            }
        }
    }

    /** The disk engine's settings ({@code dataDir} and the {@code disk} section) as engine options. */
    private static void diskOptions(JsonNode r, Map<String, String> options) {
        String dataDir = textOf(r, "dataDir", null);
        if (dataDir != null) {
            options.put("dataDir", dataDir);
        }
        JsonNode disk = r.path("disk");
        onlyKnown(disk, "disk", DISK);
        for (String f : DISK) {
            JsonNode v = disk.get(f);
            if (v != null && !v.isNull()) {
                String value = v.asText();
                if (f.equals("fsyncInterval")) {
                    try {
                        value = Long.toString(dur(disk, f, null).toMillis());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("disk.fsyncInterval: '" + v.asText()
                                + "' is not a duration (e.g. 200ms, 1s)", e);
                    }
                }
                options.put(f, value);
            }
        }
    }

    private static final class AppBuilder {
        final String id;
        final List<KeyConfig> keys = new ArrayList<>();
        final List<NamespaceConfig> namespaces = new ArrayList<>();
        Limits limits;

        AppBuilder(String id) {
            this.id = id;
        }
    }

    private static void readApp(JsonNode a, String where, Map<String, AppBuilder> apps, Limits nodeLimits) {
        String id = a.path("id").asText(null);
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(where + ".id is required");
        }
        AppBuilder b = apps.computeIfAbsent(id, AppBuilder::new);
        JsonNode appLimits = a.get("limits");
        if (appLimits != null && !appLimits.isNull()) {
            try {
                b.limits = limits(appLimits, nodeLimits);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".limits: " + e.getMessage(), e);
            }
        }
        int k = 0;
        for (JsonNode key : a.path("keys")) {
            String w = where + ".keys[" + k++ + "]";
            ApiKey apiKey = parseKey(key.path("key").asText(""), w + ".key");
            if (!apiKey.appId().equals(id)) {
                throw new IllegalArgumentException(w + ".key belongs to app " + apiKey.appId() + ", not " + id);
            }
            Capability cap = Capability.ALL;
            JsonNode c = key.get("capability");
            if (c != null && !c.isNull()) {
                try {
                    cap = Capability.parse(c.isTextual() ? c.asText() : c.toString());
                } catch (AuthException e) {
                    throw new IllegalArgumentException(w + ".capability: " + e.getMessage(), e);
                }
            }
            b.keys.add(new KeyConfig(apiKey, cap, key.path("revocableTokens").asBoolean(false)));
        }
        int n = 0;
        for (JsonNode ns : a.path("namespaces")) {
            try {
                b.namespaces.add(new NamespaceConfig(ns.path("id").asText(""), ns.path("persisted").asBoolean(false),
                        ns.path("pushEnabled").asBoolean(false), ns.path("mutableMessages").asBoolean(false)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".namespaces[" + n + "]: " + e.getMessage(), e);
            }
            n++;
        }
    }

    static ApiKey parseKey(String k, String where) {
        try {
            return ApiKey.parse(k);
        } catch (AuthException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }

    private static final Set<String> LIMITS = fieldsOf(Limits.class);
    private static final Set<String> TIMINGS = fieldsOf(Timings.class);

    private static Set<String> fieldsOf(Class<? extends Record> type) {
        Set<String> out = new java.util.TreeSet<>();
        for (var c : type.getRecordComponents()) {
            out.add(c.getName());
        }
        return out;
    }

    private static void onlyKnown(JsonNode n, String section, Set<String> known) {
        if (n == null || n.isMissingNode() || n.isNull()) {
            return;
        }
        if (!n.isObject()) {
            throw new IllegalArgumentException(section + " must be a mapping");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!known.contains(f)) {
                throw new IllegalArgumentException(section + ": unknown setting '" + f + "' (known: "
                        + String.join(", ", known) + ")");
            }
        }
    }

    private static Limits limits(JsonNode n, Limits d) {
        onlyKnown(n, "limits", LIMITS);
        return new Limits(
                intOf(n, "maxMessageSize", d.maxMessageSize()),
                intOf(n, "maxFrameSize", d.maxFrameSize()),
                intOf(n, "maxInboundRate", d.maxInboundRate()),
                intOf(n, "inboundBurst", d.inboundBurst()),
                longOf(n, "maxOutboundQueueBytes", d.maxOutboundQueueBytes()),
                intOf(n, "maxChannelsPerConnection", d.maxChannelsPerConnection()),
                intOf(n, "maxPresenceMembers", d.maxPresenceMembers()),
                intOf(n, "maxHistoryPerChannel", d.maxHistoryPerChannel()),
                longOf(n, "maxHistoryBytes", d.maxHistoryBytes()),
                intOf(n, "maxConnectionsPerKey", d.maxConnectionsPerKey()),
                intOf(n, "maxRestRequestsPerSecond", d.maxRestRequestsPerSecond()),
                intOf(n, "maxTokenRequestsPerSecond", d.maxTokenRequestsPerSecond()),
                dur(n, "limits", "httpHeaderTimeout", d.httpHeaderTimeout()),
                dur(n, "limits", "httpBodyTimeout", d.httpBodyTimeout()),
                dur(n, "limits", "httpIdleTimeout", d.httpIdleTimeout()),
                intOf(n, "maxConnections", d.maxConnections()),
                intOf(n, "maxConnectionsPerAddress", d.maxConnectionsPerAddress()),
                intOf(n, "maxMessagesPerProtocolMessage", d.maxMessagesPerProtocolMessage()),
                intOf(n, "maxControlRate", d.maxControlRate()),
                intOf(n, "controlBurst", d.controlBurst()),
                intOf(n, "maxRestPublishesPerSecond", d.maxRestPublishesPerSecond()),
                longOf(n, "maxTotalOutboundBytes", d.maxTotalOutboundBytes()));
    }

    private static Timings timings(JsonNode n) {
        onlyKnown(n, "timings", TIMINGS);
        Timings d = Timings.DEFAULTS;
        return new Timings(
                dur(n, "maxIdleInterval", d.maxIdleInterval()),
                dur(n, "connectionStateTtl", d.connectionStateTtl()),
                dur(n, "presenceLeaveDelay", d.presenceLeaveDelay()),
                dur(n, "reauthBeforeExpiry", d.reauthBeforeExpiry()),
                dur(n, "tokenRequestWindow", d.tokenRequestWindow()),
                dur(n, "defaultTokenTtl", d.defaultTokenTtl()),
                dur(n, "maxTokenTtl", d.maxTokenTtl()),
                dur(n, "maxRevocableTokenTtl", d.maxRevocableTokenTtl()),
                dur(n, "historyRetention", d.historyRetention()),
                dur(n, "persistedRetention", d.persistedRetention()),
                dur(n, "idempotencyWindow", d.idempotencyWindow()),
                dur(n, "revocationMargin", d.revocationMargin()));
    }

    /** A duration: a number of ms, or {@code 500ms}, {@code 15s}, {@code 2m}, {@code 24h}. */
    static Duration dur(JsonNode parent, String name, Duration def) {
        return dur(parent, "timings", name, def);
    }

    static Duration dur(JsonNode parent, String section, String name, Duration def) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            return def;
        }
        if (v.isIntegralNumber()) {
            return Duration.ofMillis(v.asLong());
        }
        String s = v.asText().trim();
        try {
            if (s.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2).trim()));
            }
            long num = Long.parseLong(s.substring(0, s.length() - 1).trim());
            return switch (s.charAt(s.length() - 1)) {
                case 's' -> Duration.ofSeconds(num);
                case 'm' -> Duration.ofMinutes(num);
                case 'h' -> Duration.ofHours(num);
                default -> Duration.ofMillis(Long.parseLong(s));
            };
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(section + "." + name + ": '" + s + "' is not a duration (e.g. 500ms, 15s, 2m, 24h)");
        }
    }

    private static int intOf(JsonNode n, String name, int def) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return def;
        }
        if (v.isIntegralNumber() && v.canConvertToInt()) {
            return v.asInt();
        }
        if (v.isTextual() && v.asText().trim().matches("-?\\d{1,9}")) {
            return Integer.parseInt(v.asText().trim());
        }
        throw new IllegalArgumentException(name + " must be an integer, got " + YamlErrors.kind(v));
    }

    private static long longOf(JsonNode n, String name, long def) {
        JsonNode v = n.get(name);
        if (v == null || v.isNull()) {
            return def;
        }
        if (!v.isIntegralNumber()) {
            throw new IllegalArgumentException(name + " must be an integer, got " + YamlErrors.kind(v));
        }
        return v.asLong();
    }

    private static String textOf(JsonNode n, String name, String def) {
        JsonNode v = n.get(name);
        return v == null || v.isNull() ? def : v.asText();
    }
}

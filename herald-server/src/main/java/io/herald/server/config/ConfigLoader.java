package io.herald.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.NamespaceConfig;
import io.herald.core.config.Timings;
import io.herald.webhooks.WebhookRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link ServerConfig} from, in increasing precedence: defaults, the YAML file, {@code HERALD_KEYS}, and the
 * command line. With no key anywhere, a development key with full access is generated. Every error names the setting.
 * The file is bound to {@link ConfigFile}'s records ({@link ConfigBinding}): a key none of them has is refused, at any
 * depth, with its path and line. The settings are documented in {@link ConfigReference}.
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
 *     webhooks:                                # events POSTed to a URL (docs/webhooks.md)
 *       - url: https://hooks.example.com/herald
 *         channelFilter: '^chat:'
 *         sources: [channel.message, channel.presence]
 * </pre>
 */
public final class ConfigLoader {

    /** Command-line values; {@code null} means not given. */
    public record Overrides(
            @Nullable Integer port,
            @Nullable String host,
            @Nullable String engine,
            @Nullable String redis,
            @Nullable Boolean sandbox,
            @Nullable List<String> keys,
            @Nullable String serverId) {}

    private ConfigLoader() {}

    public static ServerConfig load(@Nullable Path file, Overrides cli, Map<String, String> env) {
        return load(file, cli, env, ServerConfig.DEFAULT_ENGINE);
    }

    /** As {@link #load(Path, Overrides, Map)}, with the engine used when neither the file nor the command line names one. */
    public static ServerConfig load(@Nullable Path file, Overrides cli, Map<String, String> env, String defaultEngine) {
        ConfigFile f = null;
        if (file != null) {
            byte[] content;
            try {
                content = Files.readAllBytes(file);
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "config file " + file + ": cannot be read ("
                                + e.getClass().getSimpleName() + ")",
                        e);
            }
            try {
                f = ConfigBinding.bind(content);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("config file " + file + ": " + e.getMessage());
            }
        }
        if (f == null) {
            f = new ConfigFile(
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null);
        }
        int port = cli.port() != null ? cli.port() : ConfigFile.or(f.port(), ServerConfig.DEFAULT_PORT);
        String host = cli.host() != null ? cli.host() : ConfigFile.or(f.host(), ServerConfig.DEFAULT_HOST);
        String engine = cli.engine() != null ? cli.engine() : ConfigFile.or(f.engine(), defaultEngine);
        String redis = cli.redis() != null ? cli.redis() : f.redis();
        boolean sandbox = cli.sandbox() != null ? cli.sandbox() : ConfigFile.or(f.sandbox(), false);
        String serverId = cli.serverId() != null
                ? cli.serverId()
                : ConfigFile.or(
                        f.serverId(),
                        "herald-" + io.herald.core.internal.Ids.alphanumeric(6).toLowerCase(java.util.Locale.ROOT));
        Limits limits = f.limits() == null ? Limits.DEFAULTS : f.limits().over(Limits.DEFAULTS);
        Timings timings = f.timings() == null ? Timings.DEFAULTS : f.timings().over(Timings.DEFAULTS);

        Map<String, AppBuilder> apps = new LinkedHashMap<>();
        List<WebhookRule> webhooks = new ArrayList<>();
        if (f.apps() != null) {
            int i = 0;
            for (ConfigFile.App a : f.apps()) {
                readApp(a, "apps[" + i++ + "]", apps, limits, webhooks);
            }
        }
        List<String> extraKeys = new ArrayList<>();
        String envKeys = env.get("HERALD_KEYS");
        if (envKeys != null && !envKeys.isBlank()) {
            for (String k : envKeys.split("[,\\s]+", -1)) {
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
            appConfigs.add(new AppConfig(
                    b.id,
                    b.keys,
                    b.namespaces.isEmpty()
                            ? List.of(new NamespaceConfig("persisted", true, false, false))
                            : b.namespaces,
                    List.of(),
                    b.limits));
        }
        Map<String, String> options = new LinkedHashMap<>();
        if (redis != null) {
            options.put("redis", redis);
        }
        diskOptions(f, options);
        checkDisk(engine, options);
        CoreConfig core = new CoreConfig(serverId, limits, timings, sandbox, appConfigs);
        ConfigFile.Metrics metrics = f.metrics();
        ConfigFile.Admin admin = f.admin();
        String metricsToken = metrics == null ? null : metrics.token();
        String adminToken = admin == null ? null : admin.token();
        ConfigFile.Control control = f.control();
        String controlToken = control == null ? null : control.token();
        return new ServerConfig(
                host,
                port,
                engine,
                options,
                core,
                ConfigFile.or(f.workerThreads(), 0),
                ConfigFile.or(f.drainSeconds(), ServerConfig.DEFAULT_DRAIN_SECONDS),
                generated,
                bearerToken("metrics.token", metricsToken, "HERALD_METRICS_TOKEN", env),
                bearerToken("admin.token", adminToken, "HERALD_ADMIN_TOKEN", env),
                bearerToken("control.token", controlToken, "HERALD_CONTROL_TOKEN", env),
                allowedOrigins(f.cors()),
                webhooks);
    }

    /**
     * A bearer token setting ({@code metrics: { token: ... }}, else its environment variable {@code envName});
     * {@code null} when neither is set.
     */
    private static @Nullable String bearerToken(
            String setting, @Nullable String fromFile, String envName, Map<String, String> env) {
        String token = fromFile != null ? fromFile : env.get(envName);
        if (token == null || token.isBlank()) {
            return null;
        }
        if (token.length() < 16 || !token.matches("[A-Za-z0-9._~+/=-]+")) {
            throw new IllegalArgumentException(
                    setting + " must be at least 16 characters of A-Z a-z 0-9 . _ ~ + / = -");
        }
        return token;
    }

    /** {@code cors: { allowedOrigins: [https://app.example.com, ...] }}; default {@code ["*"]}. */
    private static List<String> allowedOrigins(ConfigFile.@Nullable Cors cors) {
        if (cors == null || cors.allowedOrigins() == null) {
            return List.of("*");
        }
        List<String> out = new ArrayList<>();
        for (String o : cors.allowedOrigins()) {
            String origin = o == null ? "" : o.trim();
            if (!origin.equals("*") && !origin.matches("(?i)https?://[a-z0-9.\\[\\]:-]+")) {
                throw new IllegalArgumentException(
                        "cors.allowedOrigins: '" + origin + "' is not an origin (scheme://host[:port], no path) or *");
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
    private static void diskOptions(ConfigFile f, Map<String, String> options) {
        if (f.dataDir() != null) {
            options.put("dataDir", f.dataDir());
        }
        ConfigFile.Disk disk = f.disk();
        if (disk == null) {
            return;
        }
        putIf(options, "fsync", disk.fsync());
        putIf(
                options,
                "fsyncInterval",
                disk.fsyncInterval() == null
                        ? null
                        : Long.toString(disk.fsyncInterval().toMillis()));
        putIf(options, "maxDiskBytes", disk.maxDiskBytes());
        putIf(options, "diskChannels", disk.diskChannels());
    }

    private static void putIf(Map<String, String> options, String name, @Nullable String value) {
        if (value != null) {
            options.put(name, value);
        }
    }

    private static final class AppBuilder {
        final String id;
        final List<KeyConfig> keys = new ArrayList<>();
        final List<NamespaceConfig> namespaces = new ArrayList<>();

        @Nullable
        Limits limits;

        AppBuilder(String id) {
            this.id = id;
        }
    }

    private static void readApp(
            ConfigFile.App a,
            String where,
            Map<String, AppBuilder> apps,
            Limits nodeLimits,
            List<WebhookRule> webhooks) {
        String id = a.id();
        if (id == null || id.isEmpty()) {
            throw new IllegalArgumentException(where + ".id is required");
        }
        AppBuilder b = apps.computeIfAbsent(id, AppBuilder::new);
        if (a.limits() != null) {
            try {
                b.limits = a.limits().over(nodeLimits);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".limits: " + e.getMessage(), e);
            }
        }
        int k = 0;
        for (ConfigFile.Key key : a.keys() == null ? List.<ConfigFile.Key>of() : a.keys()) {
            String w = where + ".keys[" + k++ + "]";
            ApiKey apiKey = parseKey(key.key() == null ? "" : key.key(), w + ".key");
            if (!apiKey.appId().equals(id)) {
                throw new IllegalArgumentException(w + ".key belongs to app " + apiKey.appId() + ", not " + id);
            }
            Capability cap = Capability.ALL;
            JsonNode c = key.capability();
            if (c != null && !c.isNull()) {
                try {
                    cap = Capability.parse(c.isTextual() ? c.asText() : c.toString());
                } catch (AuthException e) {
                    throw new IllegalArgumentException(w + ".capability: " + e.getMessage(), e);
                }
            }
            b.keys.add(new KeyConfig(apiKey, cap, ConfigFile.or(key.revocableTokens(), false)));
        }
        int n = 0;
        for (ConfigFile.Namespace ns : a.namespaces() == null ? List.<ConfigFile.Namespace>of() : a.namespaces()) {
            try {
                if (Boolean.TRUE.equals(ns.pushEnabled())) {
                    // refused rather than accepted and ignored: a channel rule must not promise what Herald lacks
                    throw new IllegalArgumentException(
                            "pushEnabled: push notifications are not implemented by Herald; remove it or set false");
                }
                b.namespaces.add(new NamespaceConfig(
                        ns.id() == null ? "" : ns.id(),
                        ConfigFile.or(ns.persisted(), false),
                        ConfigFile.or(ns.pushEnabled(), false),
                        ConfigFile.or(ns.mutableMessages(), false)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + ".namespaces[" + n + "]: " + e.getMessage(), e);
            }
            n++;
        }
        int w = 0;
        for (ConfigFile.Webhook h : a.webhooks() == null ? List.<ConfigFile.Webhook>of() : a.webhooks()) {
            webhooks.add(WebhookRule.parse(
                    id,
                    where + ".webhooks[" + w + "]",
                    w,
                    h.url(),
                    h.channelFilter(),
                    h.sources(),
                    h.enveloped(),
                    h.batch(),
                    h.headers()));
            w++;
        }
    }

    static ApiKey parseKey(String k, String where) {
        try {
            return ApiKey.parse(k);
        } catch (AuthException e) {
            throw new IllegalArgumentException(where + ": " + e.getMessage(), e);
        }
    }
}

package io.herald.server.config;

import io.herald.core.config.CoreConfig;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Everything a server process needs.
 *
 * @param host           interface to bind
 * @param port           port (0 = any free port)
 * @param engine         engine name ({@code memory}, {@code disk}, {@code redis})
 * @param engineOptions  engine options, e.g. {@code redis} = URI
 * @param core           the node's configuration (limits, timings, apps, sandbox)
 * @param workerThreads  event loop threads (0 = cores)
 * @param drainSeconds   on shutdown, how long to let clients go and in-flight work finish
 * @param generatedKey   whether the only key was generated because none was configured (a dev key)
 * @param metricsToken   the bearer token {@code GET /metrics} requires, or {@code null}: no credentials needed
 * @param adminToken     the bearer token of the admin page ({@code /admin}), or {@code null}: no admin page
 * @param controlToken   the bearer token of the fault control API ({@code /control}, docs/faults.md), or
 *                       {@code null}: no control API unless in sandbox mode (then a token is generated and logged)
 * @param corsAllowedOrigins browser origins allowed to call with credentials (ably-js sends them with an
 *                       {@code Authorization} header); {@code ["*"]}, the default, allows every origin
 * @param webhooks       the apps' webhook rules (docs/webhooks.md); none by default
 */
public record ServerConfig(
        String host,
        int port,
        String engine,
        Map<String, String> engineOptions,
        CoreConfig core,
        int workerThreads,
        int drainSeconds,
        boolean generatedKey,
        @Nullable String metricsToken,
        @Nullable String adminToken,
        @Nullable String controlToken,
        java.util.List<String> corsAllowedOrigins,
        java.util.List<io.herald.webhooks.WebhookRule> webhooks) {
    public static final int DEFAULT_PORT = 8080;
    public static final String DEFAULT_HOST = "0.0.0.0";
    public static final String DEFAULT_ENGINE = "memory";
    public static final int DEFAULT_DRAIN_SECONDS = 10;

    public ServerConfig {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        engineOptions = Map.copyOf(engineOptions);
        corsAllowedOrigins =
                corsAllowedOrigins == null ? java.util.List.of("*") : java.util.List.copyOf(corsAllowedOrigins);
        webhooks = webhooks == null ? java.util.List.of() : java.util.List.copyOf(webhooks);
    }

    /** With these engine options added (replacing options of the same name). */
    public ServerConfig withEngineOptions(Map<String, String> more) {
        Map<String, String> merged = new java.util.LinkedHashMap<>(engineOptions);
        merged.putAll(more);
        return new ServerConfig(
                host,
                port,
                engine,
                merged,
                core,
                workerThreads,
                drainSeconds,
                generatedKey,
                metricsToken,
                adminToken,
                controlToken,
                corsAllowedOrigins,
                webhooks);
    }
}

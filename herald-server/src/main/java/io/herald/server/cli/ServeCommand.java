package io.herald.server.cli;

import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.server.HeraldServer;
import io.herald.server.config.ConfigLoader;
import io.herald.server.config.ConfigReloader;
import io.herald.server.config.ServerConfig;
import io.herald.server.logging.LogFormat;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code herald serve}: runs the server until interrupted, then stops gracefully.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Herald server (REST + WebSocket on one port). With no key configured, a development "
                + "key with full access is generated and printed.")
final class ServeCommand implements Callable<Integer> {
    /** {@code serve} keeps persisted channels on disk unless told otherwise; tests and the demo say memory. */
    static final String DEFAULT_ENGINE = "disk";

    @Option(
            names = "--port",
            description = "Port to listen on (default ${DEFAULT-VALUE} unless the config file says otherwise).")
    @Nullable
    Integer port;

    @Option(names = "--host", description = "Interface to bind (default 0.0.0.0).")
    @Nullable
    String host;

    @Option(names = "--config", description = "YAML configuration file (apps, keys, capabilities, limits, timings).")
    @Nullable
    Path config;

    @Option(names = "--key", description = "An API key appId.keyId:secret with full capability (repeatable).")
    @Nullable
    List<String> keys;

    @Option(
            names = "--engine",
            paramLabel = "disk|memory|redis",
            description = "Engine: disk (the default: one "
                    + "node, persisted channels, nonces and revocations survive restarts), memory (nothing survives) or redis "
                    + "(several nodes).")
    @Nullable
    String engine;

    @Option(
            names = "--data-dir",
            description = "Engine disk: the store's directory (default ./herald-data; one node " + "per directory).")
    @Nullable
    Path dataDir;

    @Option(
            names = "--fsync",
            paramLabel = "always|interval|never",
            description = "Engine disk: when acknowledged "
                    + "writes are forced to the device (default interval: every disk.fsyncInterval, 1s).")
    @Nullable
    String fsync;

    @Option(
            names = "--redis",
            description = "Redis URI for --engine redis, e.g. redis://127.0.0.1:6379, or redis-cluster://h1:p1,h2:p2"
                    + " for a Redis Cluster.")
    @Nullable
    String redis;

    @Option(names = "--server-id", description = "This node's id (default: generated).")
    @Nullable
    String serverId;

    @Option(
            names = "--sandbox",
            description = "Enable the test-only app provisioning endpoints (POST /apps) used by "
                    + "the official ably-js test suite. Never in production. Binds 127.0.0.1 unless --host or the config "
                    + "file says otherwise, and refuses a non-loopback address without --sandbox-public.")
    boolean sandbox;

    @Option(
            names = "--sandbox-public",
            description = "Allow the sandbox on a non-loopback address (anyone who can "
                    + "reach the port can then create apps). For isolated test networks only.")
    boolean sandboxPublic;

    @Option(
            names = "--log-format",
            paramLabel = "text|json",
            description =
                    "Log output on stderr: text "
                            + "(human-readable, the default) or json (one object per line). Default: $HERALD_LOG_FORMAT, else text.")
    @Nullable
    String logFormat;

    @Override
    public Integer call() throws Exception {
        String format = logFormat != null ? logFormat : System.getenv(LogFormat.PROPERTY);
        if (format != null && !format.isBlank()) {
            try {
                LogFormat.parse(format).apply();
            } catch (IllegalArgumentException e) {
                System.err.println("herald: " + (logFormat != null ? "--log-format: " : LogFormat.PROPERTY + ": ")
                        + e.getMessage());
                return 2;
            }
        }
        StartupWarmup.start();
        ServerConfig cfg;
        // --sandbox alone (no --host, no config file) binds loopback: the sandbox is for local tests
        String bind = host == null && config == null && sandbox ? "127.0.0.1" : host;
        ConfigLoader.Overrides overrides =
                new ConfigLoader.Overrides(port, bind, engine, redis, sandbox ? Boolean.TRUE : null, keys, serverId);
        try {
            cfg = withDiskOptions(ConfigLoader.load(config, overrides, System.getenv(), DEFAULT_ENGINE));
        } catch (IllegalArgumentException e) {
            System.err.println("herald: " + e.getMessage());
            return 2;
        }
        if (cfg.core().sandbox() && !sandboxPublic && !isLoopback(cfg.host())) {
            System.err.println("herald: the sandbox (test-only app provisioning) would be reachable on " + cfg.host()
                    + ", a non-loopback address: bind 127.0.0.1 (--host 127.0.0.1), or add --sandbox-public on an "
                    + "isolated test network");
            return 2;
        }
        HeraldServer server;
        StartupWarmup.awaitLogging();
        try {
            server = HeraldServer.start(cfg);
        } catch (IllegalStateException | IllegalArgumentException e) {
            System.err.println("herald: cannot start: " + e.getMessage());
            return 1;
        }
        new ConfigReloader(
                        config,
                        () -> withDiskOptions(ConfigLoader.load(config, overrides, System.getenv(), DEFAULT_ENGINE)),
                        server.node())
                .start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            LogFormat.drain();
                            stopped.countDown();
                        },
                        "herald-shutdown"));
        printBanner(server);
        stopped.await();
        return 0;
    }

    /** Whether {@code host} names only loopback addresses (a wildcard address is not loopback). */
    static boolean isLoopback(String host) {
        try {
            java.net.InetAddress[] all = java.net.InetAddress.getAllByName(host);
            for (java.net.InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private ServerConfig withDiskOptions(ServerConfig cfg) {
        java.util.Map<String, String> more = new java.util.LinkedHashMap<>();
        if (dataDir != null) {
            more.put("dataDir", dataDir.toString());
        }
        if (fsync != null) {
            more.put("fsync", fsync);
        }
        ServerConfig merged = cfg.withEngineOptions(more);
        ConfigLoader.checkDisk(merged.engine(), merged.engineOptions());
        return merged;
    }

    private static void printBanner(HeraldServer server) {
        ServerConfig cfg = server.config();
        int p = server.port();
        String host = cfg.host().equals("0.0.0.0") ? "localhost" : cfg.host();
        StringBuilder sb = new StringBuilder();
        sb.append("Herald is running: http://")
                .append(host)
                .append(':')
                .append(p)
                .append(" (REST and WebSocket), engine ")
                .append(cfg.engine());
        if (cfg.engine().equalsIgnoreCase("disk")) {
            sb.append(" (data in ")
                    .append(Path.of(cfg.engineOptions().getOrDefault("dataDir", "./herald-data"))
                            .toAbsolutePath()
                            .normalize())
                    .append(')');
        }
        sb.append('\n');
        for (AppConfig app : cfg.core().apps()) {
            for (KeyConfig k : app.keys()) {
                sb.append(cfg.generatedKey() ? "Development API key (generated, full access): " : "API key: ")
                        .append(
                                cfg.generatedKey()
                                        ? k.key().keyString()
                                        : k.keyName() + " (capability "
                                                + k.capability().canonical() + ")")
                        .append('\n');
            }
        }
        String key = cfg.generatedKey()
                ? cfg.core().apps().get(0).keys().get(0).key().keyString()
                : "<your key>";
        sb.append("\nClient options:\n")
                .append("  ably-js:   new Ably.Realtime({ key: '")
                .append(key)
                .append("', endpoint: '")
                .append(host)
                .append("', port: ")
                .append(p)
                .append(", tls: false })\n")
                .append("  ably-java: ClientOptions o = new ClientOptions(\"")
                .append(key)
                .append("\"); o.restHost = o.realtimeHost = \"")
                .append(host)
                .append("\"; o.port = ")
                .append(p)
                .append("; o.tls = false;\n");
        sb.append("\nMetrics (Prometheus): http://")
                .append(host)
                .append(':')
                .append(p)
                .append(
                        cfg.metricsToken() != null
                                ? "/metrics (needs Authorization: Bearer <metrics.token>)\n"
                                : "/metrics (unauthenticated: set metrics.token, or keep it off the public internet)\n");
        if (cfg.adminToken() != null) {
            sb.append("\nAdmin page: http://")
                    .append(host)
                    .append(':')
                    .append(p)
                    .append("/admin (asks for admin.token)\n");
        }
        if (cfg.core().sandbox()) {
            sb.append("\nSandbox provisioning is ON (POST /apps): for tests only.\n");
        }
        sb.append("\nPress Ctrl-C to stop.");
        System.out.println(sb);
        System.out.flush();
    }
}

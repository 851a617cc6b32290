package io.herald.server;

import io.herald.auth.ApiKey;
import io.herald.core.HeraldNode;
import io.herald.core.config.AppConfig;
import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.Engines;
import io.herald.core.observe.Observer;
import io.herald.server.admin.AdminRoutes;
import io.herald.server.admin.AdminSummary;
import io.herald.server.config.ServerConfig;
import io.herald.server.control.ControlRoutes;
import io.herald.server.logging.AuditLog;
import io.herald.server.metrics.HeraldMetrics;
import io.herald.server.netty.NettyServer;
import io.herald.server.netty.ServerSettings;
import io.herald.webhooks.WebhookSettings;
import io.herald.webhooks.WebhookStats;
import io.herald.webhooks.Webhooks;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Herald server: engine, node and Netty transport, started together and stopped gracefully. Every server
 * has its metrics ({@code GET /metrics} on the same port) and its audit log ({@code herald.audit}); with
 * {@code admin.token} configured, also the admin page ({@code /admin}).
 */
public final class HeraldServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HeraldServer.class);

    private final ServerConfig config;
    private final HeraldNode node;
    private final NettyServer netty;
    private final HeraldMetrics metrics;
    private final @Nullable AdminSummary admin;
    private final @Nullable Webhooks webhooks;
    private volatile boolean closed;

    private HeraldServer(
            ServerConfig config,
            HeraldNode node,
            NettyServer netty,
            HeraldMetrics metrics,
            @Nullable AdminSummary admin,
            @Nullable Webhooks webhooks) {
        this.config = config;
        this.node = node;
        this.netty = netty;
        this.metrics = metrics;
        this.admin = admin;
        this.webhooks = webhooks;
    }

    public static HeraldServer start(ServerConfig config) throws InterruptedException {
        return start(config, Clock.systemUTC(), Observer.NONE);
    }

    /**
     * Starts a server.
     *
     * @param observer also told everything the node reports, after the server's own metrics and audit log
     */
    public static HeraldServer start(ServerConfig config, Clock clock, Observer observer) throws InterruptedException {
        Engine engine = Engines.create(
                config.engine(),
                new EngineContext(config.core(), clock, config.core().serverId(), config.engineOptions()));
        HeraldMetrics metrics = new HeraldMetrics();
        AuditLog audit = new AuditLog();
        AtomicReference<@Nullable HeraldNode> built = new AtomicReference<>();
        Webhooks webhooks = config.webhooks().isEmpty()
                ? null
                : new Webhooks(
                        config.webhooks(),
                        WebhookSettings.defaults(config.core().serverId()),
                        appId -> signingKey(built.get(), appId));
        HeraldNode node = new HeraldNode(
                config.core(), engine, clock, CompositeObserver.of(metrics.observer(), audit, observer), webhooks);
        built.set(node);
        metrics.bind(node);
        if (webhooks != null) {
            metrics.bind(webhooks.stats());
            LOG.info("webhooks: {} rule(s)", webhooks.size());
        }
        node.start();
        String adminToken = config.adminToken();
        AdminSummary admin = null;
        if (adminToken != null) {
            admin = new AdminSummary(node, metrics, audit);
            AdminRoutes.mount(node, adminToken, admin);
        }
        String controlToken = config.controlToken();
        if (controlToken == null && config.core().sandbox()) {
            controlToken = io.herald.core.internal.Ids.alphanumeric(32);
            LOG.warn("sandbox: fault control API on /control/faults with the generated token {}", controlToken);
        }
        if (controlToken != null) {
            ControlRoutes.mount(node, controlToken, audit);
        }
        var limits = config.core().limits();
        ServerSettings settings = new ServerSettings(
                config.host(),
                config.port(),
                limits.maxFrameSize(),
                limits.maxOutboundQueueBytes(),
                (int) Math.max(30, config.core().timings().maxIdleInterval().toSeconds() * 3),
                config.workerThreads(),
                limits.httpHeaderTimeout(),
                limits.httpBodyTimeout(),
                limits.httpIdleTimeout(),
                limits.maxConnections(),
                limits.maxConnectionsPerAddress(),
                config.metricsToken(),
                config.corsAllowedOrigins());
        NettyServer netty;
        try {
            netty = new NettyServer(node, settings, metrics::scrape);
        } catch (InterruptedException | RuntimeException e) {
            node.close();
            metrics.close();
            if (admin != null) {
                admin.close();
            }
            if (webhooks != null) {
                webhooks.close();
            }
            throw e;
        }
        // the JVM's meters (management beans) are for /metrics, which waits for them; nothing on the way to ready
        // needs them, so they are registered off the start's path once the port is bound
        metrics.bindJvmInBackground();
        LOG.info(
                "Herald listening on {}:{} ({}), engine {}",
                config.host(),
                netty.port(),
                netty.transportName(),
                engine.describe());
        return new HeraldServer(config, node, netty, metrics, admin, webhooks);
    }

    /** The key that signs an app's webhook requests: its first key now (reloads included). */
    private static @Nullable ApiKey signingKey(@Nullable HeraldNode node, String appId) {
        AppConfig app = node == null ? null : node.keys().app(appId);
        return app == null || app.keys().isEmpty() ? null : app.keys().get(0).key();
    }

    /** This server's webhook rules' delivery counters, or {@code null} when it has no rules. */
    public @Nullable WebhookStats webhookStats() {
        return webhooks == null ? null : webhooks.stats();
    }

    public int port() {
        return netty.port();
    }

    public HeraldNode node() {
        return node;
    }

    public ServerConfig config() {
        return config;
    }

    /** This server's meters, as {@code GET /metrics} shows them. */
    public HeraldMetrics metrics() {
        return metrics;
    }

    /**
     * Graceful stop: no new connections, every client told to reconnect (DISCONNECTED) so it resumes elsewhere, a
     * moment for in-flight work, then everything closes.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        netty.stopAccepting();
        node.drain(java.time.Duration.ofSeconds(Math.max(0, config.drainSeconds())));
        netty.close();
        node.close();
        if (webhooks != null) {
            webhooks.close();
        }
        metrics.close();
        if (admin != null) {
            admin.close();
        }
    }
}

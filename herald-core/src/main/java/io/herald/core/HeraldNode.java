package io.herald.core;

import io.herald.core.channel.ChannelPolicy;
import io.herald.core.chat.ChatApi;
import io.herald.core.config.CoreConfig;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.Engine;
import io.herald.core.engine.EngineListener;
import io.herald.core.engine.ListenedEngine;
import io.herald.core.engine.PublishListener;
import io.herald.core.engine.Revocation;
import io.herald.core.fault.Fault;
import io.herald.core.fault.FaultTarget;
import io.herald.core.fault.Faults;
import io.herald.core.hub.ChannelLifecycle;
import io.herald.core.hub.Hub;
import io.herald.core.hub.OccupancyFeed;
import io.herald.core.internal.Stages;
import io.herald.core.observe.AppStats;
import io.herald.core.observe.Observer;
import io.herald.core.rest.BatchResource;
import io.herald.core.rest.ChannelResource;
import io.herald.core.rest.RestApi;
import io.herald.core.rest.RestRequest;
import io.herald.core.rest.RestResources;
import io.herald.core.rest.RestResponse;
import io.herald.core.rest.SandboxResource;
import io.herald.core.rest.StatsResource;
import io.herald.core.security.Authenticator;
import io.herald.core.security.KeyRegistry;
import io.herald.core.security.RateLimits;
import io.herald.core.security.RevocationService;
import io.herald.core.security.TokenService;
import io.herald.core.session.ConnectionHandler;
import io.herald.core.session.SessionManager;
import io.herald.core.session.SessionServices;
import io.herald.core.transport.Loop;
import io.herald.core.transport.Transport;
import io.herald.protocol.ErrorCode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * One Herald node: everything but the network. The server gives it WebSockets ({@link #connect}) and HTTP requests
 * ({@link #rest}); tests can drive it directly.
 */
public final class HeraldNode implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(HeraldNode.class);
    private final CoreConfig config;
    private final Engine engine;
    private final Hub hub;
    private final OccupancyFeed occupancy;
    private final KeyRegistry keys;
    private final Authenticator authenticator;
    private final SessionManager sessions;
    private final RestApi rest;
    private final Observer observer;
    private final AppStats appStats;
    private final ScheduledExecutorService statsFlusher;
    private final Faults faults;

    public HeraldNode(CoreConfig config, Engine engine, Clock clock, Observer observer) {
        this(config, engine, clock, observer, null);
    }

    /**
     * As {@link #HeraldNode(CoreConfig, Engine, Clock, Observer)}, with {@code published} told about every event this
     * node publishes (see {@link PublishListener}), e.g. to deliver webhooks.
     */
    public HeraldNode(
            CoreConfig config, Engine engine, Clock clock, Observer observer, @Nullable PublishListener published) {
        this.config = config;
        this.engine = published == null ? engine : new ListenedEngine(engine, published);
        engine = this.engine; // everything below publishes through the wrapped broker, so the listener hears it all
        this.keys = new KeyRegistry(config.apps(), config.limits());
        RateLimits rateLimits = new RateLimits(clock, keys::limits);
        this.appStats = new AppStats(clock);
        this.statsFlusher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "herald-stats");
            t.setDaemon(true);
            return t;
        });
        this.hub = new Hub(engine.broker(), appStats);
        this.occupancy = new OccupancyFeed(
                hub,
                engine.occupancy(),
                engine.presence(),
                clock,
                config.timings().occupancyInterval().toMillis(),
                new ChannelLifecycle(
                        engine.broker(),
                        engine.occupancy(),
                        engine.presence(),
                        clock,
                        config.serverId(),
                        config.timings().historyRetention()));
        this.authenticator = new Authenticator(keys, engine.revocations(), config.timings(), clock);
        ChannelPolicy policy = new ChannelPolicy(keys::app, config.timings()).withMutable(ChatApi::isRoomChannel);
        this.observer = observer == null ? Observer.NONE : observer;
        this.sessions = new SessionManager(new SessionServices(
                config, clock, engine, hub, authenticator, policy, this.observer, rateLimits, keys::limits, appStats));
        TokenService tokens =
                new TokenService(keys, engine.nonces(), config.timings(), clock, this.observer, rateLimits);
        RevocationService revocations =
                new RevocationService(keys, engine.revocations(), config.timings(), clock, this.observer);
        ChannelResource channels = new ChannelResource(
                authenticator, engine, policy, sessions, keys::limits, clock, this.observer, rateLimits);
        channels.countInto(appStats);
        BatchResource batch = new BatchResource(authenticator, engine, channels);
        StatsResource stats = new StatsResource(authenticator, engine.stats(), appStats, this::flushStats, clock);
        SandboxResource sandbox = config.sandbox()
                ? new SandboxResource(keys, authenticator, () -> sessions.keysChanged(keys::key), engine, policy, clock)
                : null;
        this.rest = new RestApi(
                new RestResources(
                        clock,
                        authenticator,
                        tokens,
                        revocations,
                        keys,
                        channels,
                        batch,
                        stats,
                        sandbox,
                        engine::isReady),
                config.serverId(),
                this.observer,
                rateLimits);
        this.rest.countInto(appStats);
        new ChatApi(authenticator, engine, policy, channels, keys::limits, clock, rateLimits).register(this.rest);
        this.faults = new Faults(clock);
        this.faults.target(faultTarget(revocations));
        this.sessions.faults(faults);
        this.rest.injectFaults(faults);
    }

    /** What one-shot faults act on: this node's sessions, and the engine's revocations. */
    private FaultTarget faultTarget(RevocationService revocations) {
        return new FaultTarget() {
            @Override
            public int connections(Fault f) {
                return sessions.injectConnectionFault(f);
            }

            @Override
            public int channels(Fault f) {
                return sessions.injectChannelFault(f);
            }

            @Override
            public int revokeTokens(Fault f) {
                String clientId = f.clientId();
                return clientId == null ? 0 : revocations.revokeClientId(f.appId(), clientId);
            }
        };
    }

    /** The node's injected faults (docs/faults.md), which the control API manages. */
    public Faults faults() {
        return faults;
    }

    /**
     * Merges this node's usage counters into the engine's stats store (every {@link #STATS_FLUSH_SECONDS} seconds,
     * and before a {@code GET /stats} is answered). Completes when the engine has them.
     */
    public CompletionStage<Void> flushStats() {
        Duration keep = config.timings().statsRetention();
        List<CompletableFuture<Void>> merges = new ArrayList<>();
        for (AppStats.Flush f : appStats.drain()) {
            merges.add(Stages.guard(() -> engine.stats().merge(f.appId(), f.minute(), f.sums(), f.gauges(), keep))
                    .toCompletableFuture());
        }
        return CompletableFuture.allOf(merges.toArray(CompletableFuture[]::new));
    }

    /** How often the usage counters are sampled and merged into the engine. */
    public static final int STATS_FLUSH_SECONDS = 5;

    // runs until close() shuts the executor down: there is no result to wait for
    @SuppressWarnings("FutureReturnValueIgnored")
    private void startStatsFlusher() {
        statsFlusher.scheduleWithFixedDelay(
                () -> {
                    try {
                        appStats.sample();
                        flushStats();
                    } catch (RuntimeException e) {
                        LOG.warn("stats flush failed: {}", e.toString());
                    }
                },
                STATS_FLUSH_SECONDS,
                STATS_FLUSH_SECONDS,
                TimeUnit.SECONDS);
    }

    /** Starts the engine's delivery to this node. */
    public void start() {
        occupancy.start();
        startStatsFlusher();
        engine.start(new EngineListener() {
            @Override
            public void onChannelEvent(ChannelEvent event) {
                hub.dispatch(event);
                if (event.action() == io.herald.protocol.Action.PRESENCE) {
                    occupancy.presenceChanged(event.channel());
                }
            }

            @Override
            public void onRevocation(Revocation revocation) {
                sessions.onRevocation(revocation);
            }

            @Override
            public void onTakeover(String connectionId, String nodeId) {
                sessions.onTakeover(connectionId, nodeId);
            }
        });
    }

    /** A new WebSocket connection with its query parameters; the handler receives its frames. */
    public ConnectionHandler connect(Transport transport, Loop loop, Map<String, String> query) {
        return sessions.connect(transport, loop, query);
    }

    /** An Ably error response made outside the REST routing (transport limits), with CORS headers. */
    public RestResponse transportError(io.herald.protocol.ErrorInfo error, @Nullable String origin) {
        return rest.transportError(error, origin);
    }

    /** A response made outside the REST routing (a realtime transport over HTTP), with CORS and server headers. */
    public RestResponse transportResponse(RestResponse response, @Nullable String origin) {
        return rest.transportResponse(response, origin);
    }

    /**
     * Serves one more route on the REST port, answered as the handler makes it (no CORS or server headers, not
     * counted in the REST metrics), e.g. the metrics scrape. Call before the port is opened.
     */
    public void mountRoute(
            String method,
            String pattern,
            java.util.function.Function<RestRequest, CompletionStage<RestResponse>> handler) {
        rest.mount(method, pattern, handler);
    }

    /** The REST routes, each as its method and path pattern ({@code POST /channels/{name}/messages}). */
    public java.util.List<String> routes() {
        return rest.routeNames();
    }

    /** One REST request. */
    public CompletionStage<RestResponse> rest(RestRequest request) {
        return rest.handle(request);
    }

    public boolean isReady() {
        return engine.isReady() && !keys.isEmpty();
    }

    public Observer observer() {
        return observer;
    }

    public KeyRegistry keys() {
        return keys;
    }

    public CoreConfig config() {
        return config;
    }

    public Engine engine() {
        return engine;
    }

    public int connectionCount() {
        return sessions.size();
    }

    /** Connections with a live transport. */
    public int connectedCount() {
        return sessions.connectedCount();
    }

    public int channelCount() {
        return hub.channelCount();
    }

    /** Open connections of each app that has any on this node now (a snapshot, for the admin page). */
    public java.util.Map<String, Long> connectionsByApp() {
        return appStats.connectionsByApp();
    }

    /** Local subscribers of each channel that has any on this node now (a snapshot, for the admin page). */
    public java.util.Map<io.herald.core.engine.ChannelId, Integer> subscribersByChannel() {
        return hub.subscriberCounts();
    }

    /**
     * Applies a reloaded configuration's apps and keys: new requests see them at once; live connections of removed
     * keys are disconnected and their tokens refused from now on; changed capabilities apply to live connections.
     * Apps provisioned at runtime (sandbox) are kept. Returns the key names that were removed.
     */
    public java.util.Set<String> reloadApps(java.util.List<io.herald.core.config.AppConfig> apps) {
        java.util.Set<String> removed = keys.replaceConfigured(apps);
        sessions.keysChanged(keys::key);
        return removed;
    }

    /** Tells every connected client to go away (DISCONNECTED, then close) so it resumes elsewhere. */
    public void disconnectAll() {
        sessions.shutdownAll(ErrorCode.SERVER_SHUTDOWN.info("Server is shutting down; reconnect to continue"));
    }

    /**
     * Graceful drain within {@code max}: clients stop being read, every publish already received is completed and
     * acknowledged (and delivered to this node's subscribers before they are told to go), then every client gets
     * DISCONNECTED so the SDK resumes (on another node with a shared engine). Returns when all are gone or time is up.
     */
    public void drain(java.time.Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        try {
            sessions.quiesceAll().get(Math.max(1, max.toMillis() / 2), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
            // go on: some publishes are still with the engine
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        disconnectAll();
        while (sessions.connectedCount() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        occupancy.close();
        statsFlusher.shutdownNow();
        engine.close();
    }
}

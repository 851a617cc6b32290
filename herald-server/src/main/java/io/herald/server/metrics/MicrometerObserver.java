package io.herald.server.metrics;

import io.herald.core.observe.Observer;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Format;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * The node's {@link Observer} as Micrometer meters, all named {@code herald_…}. The per-message calls
 * ({@link #messagesIn}, {@link #delivered}, {@link #publishLatency}) touch only pre-built meters: a {@link LongAdder}
 * or one histogram update, no allocation. Tagged meters are built once per tag value and cached; every tag has a
 * small, server-defined set of values (error codes, formats, engine operations, REST routes), never user input.
 */
public final class MicrometerObserver implements Observer {
    /** Buckets of the publish and engine latency histograms. */
    static final Duration[] LATENCY_BUCKETS = {
        Duration.ofNanos(250_000), Duration.ofNanos(500_000), Duration.ofMillis(1), Duration.ofMillis(2),
        Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
        Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
        Duration.ofMillis(2500), Duration.ofSeconds(5)
    };

    private static final Set<String> METHODS = Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS");

    private final MeterRegistry registry;
    private final LongAdder messagesIn = new LongAdder();
    private final LongAdder messagesOut = new LongAdder();
    private final Timer publishLatency;
    private final Counter reauths;
    private final Counter outboundDrops;
    private final Counter tokensIssued;
    private final Counter revocations;
    private final Counter revokedTargets;
    private final Map<String, Counter[]> formats = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> connectionsRefused = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> publishesRefused = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> tokensRefused = new ConcurrentHashMap<>();
    private final Map<Integer, Counter> authFailures = new ConcurrentHashMap<>();
    private final Map<String, Timer[]> engineCalls = new ConcurrentHashMap<>();
    private final Map<RestKey, Timer> rest = new ConcurrentHashMap<>();

    private record RestKey(String method, String route, int status) {
        // equals and hashCode written out: a record's own are linked on first use (an invokedynamic bootstrap), a
        // good part of the first REST request's work, and the first is GET /health/ready at start-up
        @Override
        public boolean equals(@Nullable Object o) {
            return o instanceof RestKey k && status == k.status && method.equals(k.method) && route.equals(k.route);
        }

        @Override
        public int hashCode() {
            return (method.hashCode() * 31 + route.hashCode()) * 31 + status;
        }
    }

    public MicrometerObserver(MeterRegistry registry) {
        this.registry = registry;
        FunctionCounter.builder("herald.messages.in", messagesIn, LongAdder::sum)
                .description("Messages (or presence updates) published by realtime clients")
                .register(registry);
        FunctionCounter.builder("herald.messages.out", messagesOut, LongAdder::sum)
                .description("Deliveries: message and presence frames sent to subscribers on this node")
                .register(registry);
        publishLatency = Timer.builder("herald.publish.latency")
                .description("Time from receiving a realtime publish to its ACK (engine append and fan-out included)")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
        reauths = Counter.builder("herald.reauths")
                .description("In-band re-authentications (AUTH with a new token on a live connection)")
                .register(registry);
        outboundDrops = Counter.builder("herald.outbound.queue.drops")
                .description("Connections dropped because their outbound queue overflowed (slow consumers)")
                .register(registry);
        tokensIssued = Counter.builder("herald.tokens.issued")
                .description("Tokens issued by POST /keys/{keyName}/requestToken")
                .register(registry);
        revocations = Counter.builder("herald.token.revocations")
                .description("Successful token revocation requests")
                .register(registry);
        revokedTargets = Counter.builder("herald.token.revocation.targets")
                .description("Revocation targets (clientIds, revocation keys, ...) across all revocation requests")
                .register(registry);
        for (Format f : Format.values()) {
            formatCounters(f.name());
        }
    }

    /** Messages published by clients so far ({@code herald_messages_in_total}). */
    public long messagesInTotal() {
        return messagesIn.sum();
    }

    /** Deliveries to subscribers so far ({@code herald_messages_out_total}). */
    public long messagesOutTotal() {
        return messagesOut.sum();
    }

    // ---- connections ----

    @Override
    public void connectionOpened(String format) {
        formatCounters(format)[0].increment();
    }

    @Override
    public void connectionSuspended(String format) {
        formatCounters(format)[1].increment();
    }

    @Override
    public void connectionClosed(String format) {
        formatCounters(format)[2].increment();
    }

    @Override
    public void connectionRefused(ErrorInfo error) {
        byCode(
                        connectionsRefused,
                        "herald.connections.refused",
                        "Realtime connections refused, by Ably error code",
                        error)
                .increment();
    }

    @Override
    public void reauthenticated() {
        reauths.increment();
    }

    @Override
    public void slowConsumerDropped() {
        outboundDrops.increment();
    }

    // ---- messages ----

    @Override
    public void messagesIn(int count) {
        messagesIn.add(count);
    }

    @Override
    public void delivered(int frames) {
        messagesOut.add(frames);
    }

    @Override
    public void publishLatency(long nanos) {
        publishLatency.record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void engineCall(String operation, long nanos, boolean ok) {
        String op = operation == null ? "unknown" : operation;
        Timer[] timers = engineCalls.get(op);
        if (timers == null) {
            timers = engineCalls.computeIfAbsent(op, o -> new Timer[] {engineTimer(o, "ok"), engineTimer(o, "error")});
        }
        timers[ok ? 0 : 1].record(nanos, TimeUnit.NANOSECONDS);
    }

    @Override
    public void publishRefused(ErrorInfo error) {
        byCode(
                        publishesRefused,
                        "herald.publishes.refused",
                        "Publishes and presence updates refused (NACK or REST error), by Ably error code",
                        error)
                .increment();
    }

    // ---- security ----

    @Override
    public void tokenIssued(TokenAudit audit) {
        tokensIssued.increment();
    }

    @Override
    public void tokenRefused(TokenAudit audit, ErrorInfo error) {
        byCode(
                        tokensRefused,
                        "herald.token.requests.refused",
                        "Token requests refused, by Ably error code (40101 bad mac, 40104 timestamp, 40105 nonce replay, ...)",
                        error)
                .increment();
    }

    @Override
    public void authFailed(ErrorInfo error) {
        byCode(
                        authFailures,
                        "herald.auth.failures",
                        "Credentials refused (REST or realtime), by Ably error code (40142 token expired, ...)",
                        error)
                .increment();
    }

    @Override
    public void tokensRevoked(String keyName, int targets) {
        revocations.increment();
        revokedTargets.increment(targets);
    }

    // ---- REST ----

    @Override
    public void restRequest(String method, String route, int status, long nanos) {
        String m = METHODS.contains(method) ? method : "other";
        rest.computeIfAbsent(
                        new RestKey(m, route == null ? "other" : route, status),
                        k -> Timer.builder("herald.rest.requests")
                                .description("REST requests by method, route and HTTP status")
                                .tags("method", k.method(), "route", k.route(), "status", Integer.toString(k.status()))
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    // ---- meters ----

    /** [opened, suspended, closed] for a format name ({@code JSON}, {@code MSGPACK}). */
    private Counter[] formatCounters(String format) {
        Counter[] c = formats.get(format == null ? "unknown" : format);
        if (c != null) {
            return c;
        }
        return formats.computeIfAbsent(format == null ? "unknown" : format, f -> {
            String tag = f.toLowerCase(Locale.ROOT);
            return new Counter[] {
                Counter.builder("herald.connections.opened")
                        .tag("format", tag)
                        .description("Connections that became CONNECTED (new or resumed), by wire format")
                        .register(registry),
                Counter.builder("herald.connections.suspended")
                        .tag("format", tag)
                        .description("Connections whose transport was lost (kept for a resume), by wire format")
                        .register(registry),
                Counter.builder("herald.connections.closed")
                        .tag("format", tag)
                        .description(
                                "Connections closed while connected (client CLOSE, error, revocation, shutdown), by wire format")
                        .register(registry)
            };
        });
    }

    private Counter byCode(Map<Integer, Counter> cache, String name, String help, ErrorInfo error) {
        int code = error == null ? 0 : error.code();
        Counter c = cache.get(code);
        if (c == null) {
            c = cache.computeIfAbsent(
                    code,
                    k -> Counter.builder(name)
                            .description(help)
                            .tag("code", Integer.toString(k))
                            .register(registry));
        }
        return c;
    }

    private Timer engineTimer(String operation, String outcome) {
        return Timer.builder("herald.engine.calls")
                .description("Engine round trips (publish, history, presence, ...) by operation and outcome")
                .tags("operation", operation, "outcome", outcome)
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }
}

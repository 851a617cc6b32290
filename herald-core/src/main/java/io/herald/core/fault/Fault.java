package io.herald.core.fault;

import io.herald.protocol.ErrorInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * One injected fault: what it does ({@link FaultKind}), what it targets in its app (a connection by id or clientId, a
 * channel, a REST route), the error it makes, how often it may still act ({@code count}, for the counted kinds), how
 * long a window fault delays, and when it expires. Immutable but for its counters, which any thread may decrement.
 */
public final class Fault {
    /** How long a fault lives when the request names no ttl. */
    public static final long DEFAULT_TTL_MS = 60_000;
    /** The longest ttl a fault may have. */
    public static final long MAX_TTL_MS = 3_600_000;

    private final String id;
    /** The order faults were injected in on this node. */
    private final long seq;

    private final FaultKind kind;
    private final String appId;
    private final @Nullable String connectionId;
    private final @Nullable String clientId;
    private final @Nullable String channel;
    private final @Nullable String method;
    private final @Nullable String path;
    private final List<String> pathSegments;
    private final @Nullable ErrorInfo error;
    private final long delayMs;
    private final long createdAt;
    private final long expiresAt;
    /** Uses left for the counted kinds; unlimited (until expiry) when negative. */
    private final AtomicInteger remaining;
    /** How many connections, channels, deliveries or requests it acted on. */
    private final AtomicInteger applied = new AtomicInteger();

    /** The fault's targets and parameters; validated by whoever builds it (the control API). */
    public record Spec(
            FaultKind kind,
            String appId,
            @Nullable String connectionId,
            @Nullable String clientId,
            @Nullable String channel,
            @Nullable String method,
            @Nullable String path,
            @Nullable ErrorInfo error,
            int count,
            long delayMs,
            long ttlMs) {}

    Fault(String id, long seq, Spec spec, long now) {
        this.id = id;
        this.seq = seq;
        this.kind = spec.kind();
        this.appId = spec.appId();
        this.connectionId = spec.connectionId();
        this.clientId = spec.clientId();
        this.channel = spec.channel();
        this.method = spec.method();
        this.path = spec.path();
        this.pathSegments = spec.path() == null ? List.of() : segments(spec.path());
        this.error = spec.error();
        this.delayMs = spec.delayMs();
        this.createdAt = now;
        this.expiresAt = now + spec.ttlMs();
        this.remaining = new AtomicInteger(spec.count());
    }

    public String id() {
        return id;
    }

    public FaultKind kind() {
        return kind;
    }

    public String appId() {
        return appId;
    }

    public @Nullable String connectionId() {
        return connectionId;
    }

    public @Nullable String clientId() {
        return clientId;
    }

    public @Nullable String channel() {
        return channel;
    }

    public @Nullable ErrorInfo error() {
        return error;
    }

    public long delayMs() {
        return delayMs;
    }

    long seq() {
        return seq;
    }

    public long createdAt() {
        return createdAt;
    }

    public long expiresAt() {
        return expiresAt;
    }

    boolean expired(long now) {
        return now >= expiresAt;
    }

    /** Counts one use; false (and nothing counted) when a counted fault is used up. */
    boolean use() {
        if (remaining.get() < 0) {
            applied.incrementAndGet();
            return true;
        }
        while (true) {
            int left = remaining.get();
            if (left <= 0) {
                return false;
            }
            if (remaining.compareAndSet(left, left - 1)) {
                applied.incrementAndGet();
                return true;
            }
        }
    }

    /** A counted fault with no use left. */
    boolean usedUp() {
        return remaining.get() == 0;
    }

    /** Records that a one-shot fault hit {@code n} connections or channels. */
    void appliedTo(int n) {
        applied.addAndGet(n);
    }

    /** Whether a connection of this fault's app is one it targets (by connectionId, clientId, or every one). */
    public boolean targets(String app, String connId, @Nullable String client) {
        return appId.equals(app)
                && (connectionId == null || connectionId.equals(connId))
                && (clientId == null || clientId.equals(client));
    }

    /** Whether a channel (base name) is this fault's. */
    public boolean targetsChannel(String app, String channelName) {
        return appId.equals(app) && Objects.equals(channel, channelName);
    }

    /**
     * Whether a REST request is one this fault answers: the method ({@code *} for any) and the path pattern, where
     * {@code *} is one segment and a trailing {@code **} the rest; a request whose app cannot be told from its
     * credentials or path matches a fault of any app.
     */
    boolean matchesRequest(String m, List<String> requestSegments, @Nullable String app) {
        if (app != null && !appId.equals(app)) {
            return false;
        }
        if (method != null && !method.equals("*") && !method.equalsIgnoreCase(m)) {
            return false;
        }
        int n = pathSegments.size();
        for (int i = 0; i < n; i++) {
            String p = pathSegments.get(i);
            if (p.equals("**") && i == n - 1) {
                return requestSegments.size() >= i;
            }
            if (i >= requestSegments.size()) {
                return false;
            }
            if (!p.equals("*") && !p.equals(requestSegments.get(i))) {
                return false;
            }
        }
        return n == requestSegments.size();
    }

    /** The path's segments (empty segments dropped). */
    public static List<String> segments(String path) {
        List<String> out = new java.util.ArrayList<>();
        for (String s : path.split("/", -1)) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    /** The fault as the control API lists it. */
    public Map<String, Object> toJson(long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("kind", kind.wireName());
        m.put("appId", appId);
        putIf(m, "connectionId", connectionId);
        putIf(m, "clientId", clientId);
        putIf(m, "channel", channel);
        putIf(m, "method", method);
        putIf(m, "path", path);
        if (error != null) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("code", error.code());
            e.put("statusCode", error.statusCode());
            e.put("message", error.message());
            m.put("error", e);
        }
        if (remaining.get() >= 0) {
            m.put("remaining", remaining.get());
        }
        if (delayMs > 0) {
            m.put("delayMs", delayMs);
        }
        m.put("applied", applied.get());
        m.put("createdAt", createdAt);
        m.put("expiresAt", expiresAt);
        m.put("ttlLeftMs", Math.max(0, expiresAt - now));
        return m;
    }

    private static void putIf(Map<String, Object> m, String k, @Nullable Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    @Override
    public String toString() {
        return "Fault{" + id + " " + kind.wireName() + " app=" + appId + "}";
    }
}

package io.herald.core.fault;

import io.herald.core.internal.Ids;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The node's active faults (docs/faults.md). The control API injects, lists and clears them; the session, channel and
 * REST paths ask whether one applies. Each kind of question reads one volatile array that holds only the faults of that
 * kind, so with none active it costs one read. Expired and used-up faults are dropped when a question or a listing
 * meets them; nothing runs in the background.
 */
public final class Faults {
    /** The most faults active at once on a node. */
    public static final int MAX_ACTIVE = 100;

    private static final Fault[] NONE = new Fault[0];

    private final Clock clock;
    private volatile FaultTarget target = FaultTarget.NONE;
    private final ConcurrentHashMap<String, Fault> active = new ConcurrentHashMap<>();
    /** Faults injected so far (guarded by this). */
    private long injected;

    private volatile Fault[] latency = NONE;
    private volatile Fault[] resume = NONE;
    private volatile Fault[] delivery = NONE;
    private volatile Fault[] suspend = NONE;
    private volatile Fault[] rest = NONE;

    public Faults(Clock clock) {
        this.clock = clock;
    }

    /** What one-shot faults act on (set once by the node). */
    public void target(FaultTarget t) {
        this.target = t;
    }

    /** Thrown when {@link #MAX_ACTIVE} faults are active. */
    public static final class TooManyFaults extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooManyFaults() {
            super("At most " + MAX_ACTIVE + " faults may be active; clear some first");
        }
    }

    /**
     * Registers a fault and, for a one-shot kind, applies it now. The spec's error defaults to the kind's
     * ({@link #defaultError}).
     */
    public Fault inject(Fault.Spec spec) {
        Fault.Spec s = spec.error() != null ? spec : withError(spec, defaultError(spec.kind()));
        Fault f;
        synchronized (this) {
            purge(clock.millis());
            if (active.size() >= MAX_ACTIVE) {
                throw new TooManyFaults();
            }
            f = new Fault("f_" + Ids.alphanumeric(10), ++injected, s, clock.millis());
            active.put(f.id(), f);
            rebuild();
        }
        FaultTarget t = target;
        switch (f.kind()) {
            case CONNECTION_DROP, CONNECTION_DISCONNECT, CONNECTION_FAIL, TOKEN_EXPIRE -> f.appliedTo(t.connections(f));
            case TOKEN_REVOKE -> f.appliedTo(t.revokeTokens(f));
            case CHANNEL_DETACH, CHANNEL_FAIL, CHANNEL_SUSPEND, CHANNEL_UPDATE -> f.appliedTo(t.channels(f));
            default -> {
                // acts on what it matches from now on
            }
        }
        return f;
    }

    private static Fault.Spec withError(Fault.Spec s, ErrorInfo e) {
        return new Fault.Spec(
                s.kind(),
                s.appId(),
                s.connectionId(),
                s.clientId(),
                s.channel(),
                s.method(),
                s.path(),
                e,
                s.count(),
                s.delayMs(),
                s.ttlMs());
    }

    /** The error a fault of {@code kind} makes when the request names none. */
    public static ErrorInfo defaultError(FaultKind kind) {
        return switch (kind) {
            case CONNECTION_DROP, CONNECTION_DISCONNECT ->
                ErrorCode.DISCONNECTED.info("Connection disconnected by an injected fault");
            case CONNECTION_FAIL -> ErrorCode.CONNECTION_FAILED.info("Connection failed by an injected fault");
            case CONNECTION_FAIL_RESUME ->
                ErrorCode.UNABLE_TO_RECOVER.info(
                        "Unable to resume connection (injected fault); a new connection was made");
            case TOKEN_EXPIRE -> ErrorCode.TOKEN_EXPIRED.info("Token expired (injected fault)");
            case TOKEN_REVOKE -> ErrorCode.TOKEN_REVOKED.info("Token revoked (injected fault)");
            case TOKEN_REQUEST_FAIL, REST_FAIL ->
                ErrorCode.SERVICE_UNAVAILABLE.info("Service temporarily unavailable (injected fault)");
            case CHANNEL_DETACH, CHANNEL_SUSPEND ->
                ErrorCode.CHANNEL_OPERATION_FAILED.info("Channel detached by an injected fault");
            case CHANNEL_FAIL -> ErrorCode.CHANNEL_OPERATION_FAILED.info("Channel failed by an injected fault");
            case CHANNEL_UPDATE, DELIVERY_DROP ->
                ErrorCode.CONNECTION_DROPPED_SLOW.info("Continuity lost: messages dropped by an injected fault");
            case CONNECTION_LATENCY, DELIVERY_DELAY, DELIVERY_DUPLICATE -> ErrorCode.BAD_REQUEST.info("Injected fault");
        };
    }

    /** The active faults, oldest first; of one app when {@code appId} is given. */
    public List<Fault> list(@Nullable String appId) {
        purgeNow();
        List<Fault> out = new ArrayList<>();
        for (Fault f : active.values()) {
            if (appId == null || f.appId().equals(appId)) {
                out.add(f);
            }
        }
        out.sort(Comparator.comparingLong(Fault::seq));
        return out;
    }

    /** Clears one fault; false when there is no such active fault. */
    public synchronized boolean remove(String id) {
        Fault f = active.remove(id);
        rebuild();
        return f != null;
    }

    /** Clears every fault, or every fault of one app; returns how many. */
    public synchronized int clear(@Nullable String appId) {
        int n = 0;
        for (Fault f : new ArrayList<>(active.values())) {
            if (appId == null || f.appId().equals(appId)) {
                active.remove(f.id());
                n++;
            }
        }
        rebuild();
        return n;
    }

    public long now() {
        return clock.millis();
    }

    // ---- what the session, channel and REST paths ask ----

    /** How long frames to this connection wait now (ms); 0 without a latency fault. */
    public long latencyMillis(String appId, String connectionId, @Nullable String clientId) {
        Fault[] fs = latency;
        if (fs.length == 0) {
            return 0;
        }
        Fault f = find(fs, x -> x.targets(appId, connectionId, clientId), false);
        return f == null ? 0 : f.delayMs();
    }

    /** The error a resume of this connection is refused with, using up one of the fault's uses; else null. */
    public @Nullable ErrorInfo resumeFailure(String appId, String connectionId, @Nullable String clientId) {
        Fault[] fs = resume;
        if (fs.length == 0) {
            return null;
        }
        Fault f = find(fs, x -> x.targets(appId, connectionId, clientId), true);
        return f == null ? null : f.error();
    }

    /** The delivery fault (delay, drop, duplicate) on a channel now, or null; counts one event it acts on. */
    public @Nullable Fault delivery(String appId, String channel) {
        Fault[] fs = delivery;
        if (fs.length == 0) {
            return null;
        }
        return find(fs, x -> x.targetsChannel(appId, channel), true);
    }

    /** The error an ATTACH of this connection to a suspended channel is answered with (DETACHED), or null. */
    public @Nullable ErrorInfo attachRefusal(
            String appId, String channel, String connectionId, @Nullable String clientId) {
        Fault[] fs = suspend;
        if (fs.length == 0) {
            return null;
        }
        Fault f = find(fs, x -> x.targetsChannel(appId, channel) && x.targets(appId, connectionId, clientId), true);
        return f == null ? null : f.error();
    }

    /**
     * The error an injected fault answers this REST request with, using up one use; else null.
     *
     * @param segments the request path's segments
     * @param appId the app the request's credentials or path name, or null when it cannot be told
     */
    public @Nullable ErrorInfo restFailure(String method, List<String> segments, @Nullable String appId) {
        Fault[] fs = rest;
        if (fs.length == 0) {
            return null;
        }
        boolean tokenRequest = method.equals("POST")
                && segments.size() == 3
                && segments.get(0).equals("keys")
                && segments.get(2).equals("requestToken");
        Fault f = find(
                fs,
                x -> x.kind() == FaultKind.TOKEN_REQUEST_FAIL
                        ? tokenRequest && (appId == null || x.appId().equals(appId))
                        : x.matchesRequest(method, segments, appId),
                true);
        return f == null ? null : f.error();
    }

    private @Nullable Fault find(Fault[] fs, java.util.function.Predicate<Fault> matches, boolean count) {
        long now = clock.millis();
        boolean stale = false;
        Fault found = null;
        for (Fault f : fs) {
            if (f.expired(now) || f.usedUp()) {
                stale = true;
                continue;
            }
            if (matches.test(f) && (!count || f.use())) {
                found = f;
                break;
            }
        }
        if (stale || (found != null && found.usedUp())) {
            purgeNow();
        }
        return found;
    }

    private synchronized void purgeNow() {
        purge(clock.millis());
    }

    private void purge(long now) {
        boolean changed = active.values().removeIf(f -> f.expired(now) || f.usedUp());
        if (changed) {
            rebuild();
        }
    }

    /** Rebuilds the per-question arrays from {@link #active}; called holding the lock. */
    private void rebuild() {
        List<Fault> lat = new ArrayList<>();
        List<Fault> res = new ArrayList<>();
        List<Fault> del = new ArrayList<>();
        List<Fault> sus = new ArrayList<>();
        List<Fault> rst = new ArrayList<>();
        for (Fault f : active.values()) {
            switch (f.kind()) {
                case CONNECTION_LATENCY -> lat.add(f);
                case CONNECTION_FAIL_RESUME -> res.add(f);
                case DELIVERY_DELAY, DELIVERY_DROP, DELIVERY_DUPLICATE -> del.add(f);
                case CHANNEL_SUSPEND -> sus.add(f);
                case TOKEN_REQUEST_FAIL, REST_FAIL -> rst.add(f);
                default -> {
                    // one-shot: acted when injected
                }
            }
        }
        latency = lat.toArray(NONE);
        resume = res.toArray(NONE);
        delivery = del.toArray(NONE);
        suspend = sus.toArray(NONE);
        rest = rst.toArray(NONE);
    }
}

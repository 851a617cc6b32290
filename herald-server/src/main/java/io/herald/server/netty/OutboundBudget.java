package io.herald.server.netty;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node-wide bound on bytes queued to WebSockets, event streams and Comet connections (limits.maxTotalOutboundBytes): many connections each under
 * their own maxOutboundQueueBytes can still hold more than the node has. A connection with a backlog asks for a
 * sweep (at most one per {@link #SWEEP_INTERVAL_MILLIS}); a sweep adds up every connection's queue and, over the
 * bound, drops the connections with the most queued (the slowest consumers) until the rest fit, as the
 * per-connection slow-consumer rule does. Connections that keep up never trigger a sweep.
 */
public final class OutboundBudget {
    /** A connection the budget covers: a WebSocket, an event stream or a Comet connection. */
    public interface Member {
        /** Bytes written to the socket and not yet sent. */
        long queuedBytes();

        /** Drops the connection as a slow consumer. */
        void dropSlow(String reason);
    }

    /** Bytes written to a socket and not yet sent. */
    public static long pendingBytes(io.netty.channel.Channel channel) {
        io.netty.channel.ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        return out == null ? 0 : out.totalPendingWriteBytes();
    }

    /**
     * The slow-consumer rule for one more frame to {@code m}: with more than {@code maxQueued} bytes already waiting,
     * {@code m} is dropped and {@code false} returned; otherwise the node-wide budget (if any) hears of the backlog,
     * which may drop {@code m} too (the caller checks it is still open).
     */
    public static boolean admit(Member m, long maxQueued, @org.jspecify.annotations.Nullable OutboundBudget budget) {
        long queued = m.queuedBytes();
        if (queued > maxQueued) {
            m.dropSlow("slow consumer: more than " + maxQueued + " bytes queued");
            return false;
        }
        if (budget != null) {
            budget.backlog(queued, System.currentTimeMillis());
        }
        return true;
    }

    /** A connection with this much queued asks for a sweep. */
    static final long BACKLOG_BYTES = 64 * 1024;

    static final long SWEEP_INTERVAL_MILLIS = 100;
    private final long limit;
    private final Set<Member> transports = ConcurrentHashMap.newKeySet();
    private final AtomicLong lastSweep = new AtomicLong(Long.MIN_VALUE);

    OutboundBudget(long limit) {
        this.limit = limit;
    }

    long limit() {
        return limit;
    }

    public void add(Member t) {
        transports.add(t);
    }

    public void remove(Member t) {
        transports.remove(t);
    }

    /** Called by a transport with {@code queued} bytes pending; sweeps when due. */
    void backlog(long queued, long nowMillis) {
        if (queued < BACKLOG_BYTES) {
            return;
        }
        long last = lastSweep.get();
        if (nowMillis - last < SWEEP_INTERVAL_MILLIS && last != Long.MIN_VALUE) {
            return;
        }
        if (lastSweep.compareAndSet(last, nowMillis)) {
            sweep();
        }
    }

    /** Drops the connections with the most queued until the total fits the limit. Returns how many were dropped. */
    int sweep() {
        record Queued(Member transport, long bytes) {}
        List<Queued> all = new ArrayList<>();
        long total = 0;
        for (Member t : transports) {
            long q = t.queuedBytes();
            total += q;
            if (q > 0) {
                all.add(new Queued(t, q));
            }
        }
        if (total <= limit) {
            return 0;
        }
        all.sort(Comparator.comparingLong(Queued::bytes).reversed());
        int dropped = 0;
        for (Queued q : all) {
            if (total <= limit) {
                break;
            }
            q.transport()
                    .dropSlow("slow consumer: the node's outbound queues hold more than " + limit
                            + " bytes (limits.maxTotalOutboundBytes) and this connection has the most queued ("
                            + q.bytes() + " bytes)");
            total -= q.bytes();
            dropped++;
        }
        return dropped;
    }
}

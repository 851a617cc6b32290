package io.herald.server.netty;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caps on open connections of one server: in all ({@code maxConnections}) and per remote address
 * ({@code maxConnectionsPerAddress}), 0 meaning no cap. A new connection over a cap first makes room by closing the
 * connection that has waited longest for a request head (a fresh socket that has not finished its request, or a
 * keep-alive connection between requests: see {@link HttpGuard}); only when every connection is busy (a request in
 * progress, or a WebSocket) is the new one refused. So a flood of half-open sockets cannot lock out a client that sends
 * its request promptly: the flood's oldest sockets are the ones to go. The caps are kept across event loops without
 * a lock and may be overshot by a connection or two under a race.
 */
final class ConnectionLimiter {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int max;
    private final int maxPerAddress;
    private final Set<HttpGuard> all = ConcurrentHashMap.newKeySet();
    private final ConcurrentHashMap<InetAddress, Set<HttpGuard>> byAddress = new ConcurrentHashMap<>();

    ConnectionLimiter(int max, int maxPerAddress) {
        this.max = max;
        this.maxPerAddress = maxPerAddress;
    }

    /** Registers a newly opened connection; false if it is refused (the caller closes it). */
    boolean admit(HttpGuard g) {
        InetAddress address = g.address();
        all.add(g);
        // connections by address only when that cap is on (it is off by default): each entry costs every connection
        Set<HttpGuard> mine = maxPerAddress <= 0
                ? Set.of()
                : byAddress.compute(address, (a, s) -> {
                    Set<HttpGuard> set = s != null ? s : ConcurrentHashMap.newKeySet();
                    set.add(g);
                    return set;
                });
        g.channel().closeFuture().addListener(f -> release(g, address));
        if (maxPerAddress > 0 && !makeRoom(mine, maxPerAddress, g)) {
            LOG.debug("refusing a connection from {}: {} open from that address", address, mine.size());
            release(g, address);
            return false;
        }
        if (max > 0 && !makeRoom(all, max, g)) {
            LOG.debug("refusing a connection from {}: {} open connections", address, all.size());
            release(g, address);
            return false;
        }
        return true;
    }

    /** Closes the longest-waiting evictable connections of {@code set} until it is within {@code cap}. */
    private boolean makeRoom(Set<HttpGuard> set, int cap, HttpGuard newcomer) {
        while (set.size() > cap) {
            HttpGuard oldest = null;
            long oldestSince = Long.MAX_VALUE;
            for (HttpGuard g : set) {
                if (g != newcomer && g.evictable() && g.waitingSince() < oldestSince) {
                    oldest = g;
                    oldestSince = g.waitingSince();
                }
            }
            if (oldest == null) {
                return false;
            }
            release(oldest, oldest.address());
            oldest.evict();
        }
        return true;
    }

    private void release(HttpGuard g, InetAddress address) {
        all.remove(g);
        if (maxPerAddress <= 0) {
            return;
        }
        byAddress.computeIfPresent(address, (a, s) -> {
            s.remove(g);
            return s.isEmpty() ? null : s;
        });
    }

    int open() {
        return all.size();
    }

    static InetAddress addressOf(SocketAddress a) {
        if (a instanceof InetSocketAddress i && i.getAddress() != null) {
            return i.getAddress();
        }
        return InetAddress.getLoopbackAddress();
    }
}

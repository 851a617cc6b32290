package io.herald.server.e2e.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy in front of the server whose live connections the test can cut, as a network failure would: both
 * sockets are reset (SO_LINGER 0), so neither side gets a WebSocket close frame. New connections keep working.
 * Given several backends it is a balancer with health checks: each new connection goes to the first backend (in
 * order) that accepts it, so when the preferred node dies its clients' reconnections land on the next one.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Integer> backends;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private volatile CompletableFuture<Void> gate = CompletableFuture.completedFuture(null);
    private volatile boolean closed;

    public TcpProxy(int targetPort) {
        this(List.of(targetPort));
    }

    public TcpProxy(List<Integer> backendPorts) {
        this.backends = List.copyOf(backendPorts);
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread t = new Thread(this::acceptLoop, "tcp-proxy-accept");
        t.setDaemon(true);
        t.start();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    public int accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
            accepted.incrementAndGet();
            sockets.add(client);
            CompletableFuture<Void> g = gate;
            Thread connector = new Thread(
                    () -> {
                        try {
                            g.join();
                            Socket upstream = connect();
                            if (upstream == null) {
                                closeQuietly(client);
                                return;
                            }
                            client.setTcpNoDelay(true);
                            sockets.add(upstream);
                            pump(client, upstream);
                            pump(upstream, client);
                        } catch (IOException | RuntimeException e) {
                            closeQuietly(client);
                        }
                    },
                    "tcp-proxy-connect");
            connector.setDaemon(true);
            connector.start();
        }
    }

    /** A connection to the first backend that accepts one, or null. */
    private Socket connect() {
        for (int port : backends) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
                s.setTcpNoDelay(true);
                return s;
            } catch (IOException e) {
                closeQuietly(s);
            }
        }
        return null;
    }

    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[16384];
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            out.write(buf, 0, n);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // cut or closed
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                    }
                },
                "tcp-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Resets every live connection and holds new ones (accepted, but not connected to the server, so a reconnecting
     * client waits) until {@link #release()}: a network outage of a length the test controls.
     */
    public void cutAndHold() {
        gate = new CompletableFuture<>();
        cutAll();
    }

    /** Ends the outage of {@link #cutAndHold()}: held and new connections reach the server. */
    public void release() {
        gate.complete(null);
    }

    /** Resets every live connection through the proxy. */
    public void cutAll() {
        for (Socket s : sockets) {
            try {
                s.setSoLinger(true, 0);
            } catch (IOException ignored) {
                // already closed
            }
            closeQuietly(s);
        }
        sockets.clear();
    }

    private void closeQuietly(Socket s) {
        sockets.remove(s);
        try {
            s.close();
        } catch (IOException ignored) {
            // best effort
        }
    }

    @Override
    public void close() {
        closed = true;
        gate.complete(null);
        try {
            listener.close();
        } catch (IOException ignored) {
            // best effort
        }
        cutAll();
    }
}

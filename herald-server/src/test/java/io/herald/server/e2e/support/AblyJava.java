package io.herald.server.e2e.support;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.realtime.ConnectionStateListener;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** ably-java 1.5.0 pointed at the server under test, and blocking helpers with timeouts over its callbacks. */
public final class AblyJava {
    public static final Duration WAIT = Duration.ofSeconds(10);

    private AblyJava() {}

    /** Host, port, no TLS, the wire format; no credentials yet. */
    public static ClientOptions options(TestServer server, boolean binary) {
        return options(server.port(), binary);
    }

    /** The same for a server on {@code port}. */
    public static ClientOptions options(int port, boolean binary) {
        ClientOptions o = new ClientOptions();
        o.restHost = "localhost";
        o.realtimeHost = "localhost";
        o.port = port;
        o.tls = false;
        o.useBinaryProtocol = binary;
        o.autoConnect = false;
        o.httpMaxRetryCount = 0;
        return o;
    }

    public static ClientOptions withKey(TestServer server, boolean binary, String key) {
        ClientOptions o = options(server, binary);
        o.key = key;
        return o;
    }

    public static AblyRest rest(ClientOptions o) {
        try {
            return new AblyRest(o);
        } catch (AblyException e) {
            throw new AssertionError(e);
        }
    }

    /** A realtime client, connected (fails the test unless CONNECTED within {@link #WAIT}). */
    public static AblyRealtime connect(ClientOptions o) {
        AblyRealtime rt = realtime(o);
        rt.connect();
        awaitState(rt, ConnectionState.connected, WAIT);
        return rt;
    }

    public static AblyRealtime realtime(ClientOptions o) {
        try {
            return new AblyRealtime(o);
        } catch (AblyException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the connection is in {@code state}; fails early if it becomes FAILED instead. */
    public static ConnectionStateListener.ConnectionStateChange awaitState(
            AblyRealtime rt, ConnectionState state, Duration timeout) {
        CompletableFuture<ConnectionStateListener.ConnectionStateChange> f = new CompletableFuture<>();
        ConnectionStateListener l = change -> {
            if (change.current == state) {
                f.complete(change);
            } else if (change.current == ConnectionState.failed) {
                f.completeExceptionally(
                        new AssertionError("connection FAILED while waiting for " + state + ": " + change.reason));
            }
        };
        rt.connection.on(l);
        try {
            if (rt.connection.state == state) {
                return null;
            }
            return get(
                    f,
                    timeout,
                    "connection state " + state + " (now " + rt.connection.state + ", reason " + rt.connection.reason
                            + ")");
        } finally {
            rt.connection.off(l);
        }
    }

    /** Waits until the connection reaches {@code state}, whatever it passes through (also FAILED). */
    public static ConnectionStateListener.ConnectionStateChange awaitAnyState(AblyRealtime rt, ConnectionState state) {
        CompletableFuture<ConnectionStateListener.ConnectionStateChange> f = new CompletableFuture<>();
        ConnectionStateListener l = change -> {
            if (change.current == state) {
                f.complete(change);
            }
        };
        rt.connection.on(l);
        try {
            return get(f, WAIT, "connection state " + state + " (now " + rt.connection.state + ")");
        } finally {
            rt.connection.off(l);
        }
    }

    /** Runs an async SDK call taking a CompletionListener and waits for it; fails with the SDK's ErrorInfo. */
    public static void call(String what, AsyncCall call) {
        ErrorInfo e = callForError(what, call);
        if (e != null) {
            throw new AssertionError(what + " failed: " + e);
        }
    }

    /** As {@link #call}, but returns the ErrorInfo (null on success) instead of failing on it. */
    public static ErrorInfo callForError(String what, AsyncCall call) {
        CompletableFuture<ErrorInfo> f = new CompletableFuture<>();
        try {
            call.start(new CompletionListener() {
                @Override
                public void onSuccess() {
                    f.complete(null);
                }

                @Override
                public void onError(ErrorInfo reason) {
                    f.complete(reason == null ? new ErrorInfo("(no reason)", 0) : reason);
                }
            });
        } catch (AblyException e) {
            return e.errorInfo;
        }
        return get(f, WAIT, what);
    }

    /** An SDK call with a completion listener. */
    @FunctionalInterface
    public interface AsyncCall {
        void start(CompletionListener listener) throws AblyException;
    }

    public static void attach(Channel channel) {
        call("attach " + channel.name, channel::attach);
    }

    public static void publish(Channel channel, String name, Object data) {
        call("publish to " + channel.name, l -> channel.publish(name, data, l));
    }

    /** The ErrorInfo a blocking SDK call throws; fails if it succeeds. */
    public static ErrorInfo errorOf(String what, ThrowingRunnable r) {
        try {
            r.run();
        } catch (AblyException e) {
            return e.errorInfo;
        }
        throw new AssertionError(what + " succeeded but should have failed");
    }

    @FunctionalInterface
    public interface ThrowingRunnable {
        void run() throws AblyException;
    }

    public static <T> T get(CompletableFuture<T> f, Duration timeout, String what) {
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AssertionError a) {
                throw a;
            }
            throw new AssertionError(what + ": " + e.getCause(), e.getCause());
        }
    }

    /** Closes clients, ignoring failures (for finally blocks). */
    public static void closeAll(AblyRealtime... clients) {
        for (AblyRealtime c : clients) {
            if (c != null) {
                try {
                    c.close();
                } catch (RuntimeException ignored) {
                    // closing is best effort
                }
            }
        }
    }
}

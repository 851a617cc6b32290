package io.herald.junit;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ErrorInfo;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** Blocking waits, with timeouts, over ably-java's callbacks. */
final class Sync {
    static final long SECONDS = 10;

    private Sync() {}

    /** Waits until the connection is in one of {@code states}. */
    static ConnectionState awaitState(AblyRealtime rt, ConnectionState... states) throws InterruptedException {
        Set<ConnectionState> wanted = Set.of(states);
        CountDownLatch reached = new CountDownLatch(1);
        rt.connection.on(change -> {
            if (wanted.contains(change.current)) {
                reached.countDown();
            }
        });
        if (!wanted.contains(rt.connection.state) && !reached.await(SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError(
                    "connection not in " + wanted + " but " + rt.connection.state + ": " + rt.connection.reason);
        }
        return rt.connection.state;
    }

    /** Runs an SDK call with a completion listener; returns its error, or null on success. */
    static ErrorInfo call(Call call) throws Exception {
        CompletableFuture<ErrorInfo> done = new CompletableFuture<>();
        call.start(new CompletionListener() {
            @Override
            public void onSuccess() {
                done.complete(null);
            }

            @Override
            public void onError(ErrorInfo reason) {
                done.complete(reason);
            }
        });
        return done.get(SECONDS, TimeUnit.SECONDS);
    }

    /** As {@link #call}, failing on an error. */
    static void ok(Call call) throws Exception {
        ErrorInfo e = call(call);
        if (e != null) {
            throw new AssertionError("failed: " + e);
        }
    }

    interface Call {
        void start(CompletionListener listener) throws AblyException;
    }
}

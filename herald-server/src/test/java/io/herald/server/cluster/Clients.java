package io.herald.server.cluster;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.CompletionListener;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.rest.Auth;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.ably.lib.types.ErrorInfo;
import io.herald.core.testing.Eventually;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The official ably-java SDK pointed at a Herald node: only host, port and tls change. */
final class Clients {
    static final int TIMEOUT_SECONDS = 20;

    private Clients() {}

    static ClientOptions options(int port) {
        ClientOptions o = new ClientOptions();
        o.restHost = "127.0.0.1";
        o.realtimeHost = "127.0.0.1";
        o.port = port;
        o.tls = false;
        o.disconnectedRetryTimeout = 1_000;
        o.logLevel = io.ably.lib.util.Log.NONE;
        return o;
    }

    static ClientOptions keyOptions(int port, String key, String clientId) throws AblyException {
        ClientOptions o = options(port);
        o.key = key;
        o.clientId = clientId;
        return o;
    }

    static AblyRealtime realtime(ClientOptions o) throws Exception {
        AblyRealtime r = new AblyRealtime(o);
        awaitState(r, ConnectionState.connected);
        return r;
    }

    static AblyRest rest(int port, String key) throws AblyException {
        ClientOptions o = options(port);
        o.key = key;
        o.useBinaryProtocol = false;
        return new AblyRest(o);
    }

    /** A client authenticating with TokenRequests signed by {@code signer} (as a customer's backend would). */
    static ClientOptions tokenOptions(int port, AblyRest signer, String clientId) {
        ClientOptions o = options(port);
        o.authCallback = params -> {
            Auth.TokenParams p = new Auth.TokenParams();
            p.clientId = clientId;
            return signer.auth.createTokenRequest(p, null);
        };
        return o;
    }

    static void awaitState(AblyRealtime r, ConnectionState state) throws Exception {
        Eventually.await(
                () -> "connection state " + state + " (it is " + r.connection.state + ", reason " + r.connection.reason
                        + ")",
                Duration.ofSeconds(TIMEOUT_SECONDS),
                () -> r.connection.state == state);
    }

    static CompletableFuture<Void> done(ThrowingConsumer<CompletionListener> call) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            call.accept(new CompletionListener() {
                @Override
                public void onSuccess() {
                    f.complete(null);
                }

                @Override
                public void onError(ErrorInfo reason) {
                    f.completeExceptionally(AblyException.fromErrorInfo(reason));
                }
            });
        } catch (Exception e) {
            f.completeExceptionally(e);
        }
        return f;
    }

    static void await(CompletableFuture<?> f) throws Exception {
        f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    static Channel attached(AblyRealtime r, String channel) throws Exception {
        Channel ch = r.channels.get(channel);
        await(done(ch::attach));
        return ch;
    }

    interface ThrowingConsumer<T> {
        void accept(T t) throws Exception;
    }
}

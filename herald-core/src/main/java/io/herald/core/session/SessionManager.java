package io.herald.core.session;

import io.herald.core.channel.ConnectionDirectory;
import io.herald.core.engine.Revocation;
import io.herald.core.fault.Fault;
import io.herald.core.fault.Faults;
import io.herald.core.internal.AblyException;
import io.herald.core.security.AuthContext;
import io.herald.core.transport.Loop;
import io.herald.core.transport.Transport;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens realtime connections (docs/protocol.md §1.2, §3.1, §3.3, §3.4): authenticates the connect parameters,
 * resumes the session a {@code resume}/{@code recover} key names or creates a new one, and keeps the live sessions.
 */
public final class SessionManager implements ConnectionDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(SessionManager.class);

    private static final ConnectionHandler IGNORE = new ConnectionHandler() {
        @Override
        public void onMessage(ProtocolMessage message) {}

        @Override
        public void onProtocolError(ErrorInfo error) {}

        @Override
        public void onClosed(String reason) {}
    };

    /** A handler for a session still being looked up: frames wait until it exists (clients send none before CONNECTED). */
    private static final class DeferredHandler implements ConnectionHandler {
        private @Nullable ConnectionHandler target;
        private final List<Consumer<ConnectionHandler>> early = new ArrayList<>();

        synchronized void bind(ConnectionHandler h) {
            target = h;
            early.forEach(action -> action.accept(h));
            early.clear();
        }

        private synchronized void run(Consumer<ConnectionHandler> action) {
            ConnectionHandler h = target;
            if (h != null) {
                action.accept(h);
            } else {
                early.add(action);
            }
        }

        @Override
        public void onMessage(ProtocolMessage message) {
            run(h -> h.onMessage(message));
        }

        @Override
        public void onProtocolError(ErrorInfo error) {
            run(h -> h.onProtocolError(error));
        }

        @Override
        public void onClosed(String reason) {
            run(h -> h.onClosed(reason));
        }
    }

    private final SessionServices services;
    /** Delta compression shared by this node's delta subscribers. */
    final ChannelDeltas deltas = new ChannelDeltas();

    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();

    /** Injected faults (docs/faults.md); none unless the node's control API adds some. */
    private volatile Faults faults;

    public SessionManager(SessionServices services) {
        this.services = services;
        this.faults = new Faults(services.clock());
    }

    /** The node's fault registry, consulted by sessions (set before the first connection). */
    public void faults(Faults f) {
        this.faults = f;
    }

    Faults faults() {
        return faults;
    }

    /**
     * A new WebSocket with its query parameters. Bad credentials are answered on the socket (ERROR, then close, so
     * browsers see the reason, docs/protocol.md §1.2); the returned handler receives the socket's frames.
     */
    public ConnectionHandler connect(Transport transport, Loop loop, Map<String, String> query) {
        ConnectParams params;
        AuthContext auth;
        String clientId;
        try {
            params = ConnectParams.parse(query);
            auth = authenticate(params);
            clientId = identity(auth, params.clientId());
        } catch (RuntimeException e) {
            if (AblyException.isExpected(e)) {
                refuse(transport, query, AblyException.errorOf(e));
                return IGNORE;
            }
            LOG.error("connect failed", e);
            refuse(transport, query, ErrorCode.INTERNAL_CONNECTION_ERROR.info("Internal error while connecting"));
            return IGNORE;
        }
        String resumeKey = params.resume() != null ? params.resume() : params.recover();
        if (resumeKey != null) {
            Session existing = byConnectionKey(resumeKey);
            ErrorInfo injected = existing == null
                    ? null
                    : faults.resumeFailure(existing.appId(), existing.connectionId, existing.clientId());
            if (existing != null && injected != null) {
                // as when the connection cannot be resumed: the old one ends, the client gets a new one and the error
                existing.loop.execute(() -> existing.fail(injected));
                return fresh(transport, loop, auth, clientId, params.echo(), injected);
            }
            if (existing != null && compatible(existing.appId(), existing.clientId(), auth, clientId)) {
                ConnectionHandler handler = existing.handlerFor(transport);
                final AuthContext a = auth;
                final boolean echo = params.echo();
                existing.loop.run(() -> {
                    if (existing.isClosed()) {
                        fresh(transport, loop, a, clientId, echo, unableToResume(resumeKey));
                        return;
                    }
                    existing.resume(transport, a, echo);
                });
                return handler;
            }
            if (existing == null) {
                return resumeFromStore(transport, loop, auth, clientId, params.echo(), resumeKey);
            }
            return fresh(transport, loop, auth, clientId, params.echo(), unableToResume(resumeKey));
        }
        return fresh(transport, loop, auth, clientId, params.echo(), null);
    }

    private static boolean compatible(
            String appId, @Nullable String sessionClientId, AuthContext auth, @Nullable String clientId) {
        return appId.equals(auth.appId()) && java.util.Objects.equals(sessionClientId, clientId);
    }

    /**
     * A connection this node does not hold: another node may have held it (and died). Resume it here from the
     * engine's record, or start a new connection with 80008.
     */
    private ConnectionHandler resumeFromStore(
            Transport transport,
            Loop loop,
            AuthContext auth,
            @Nullable String clientId,
            boolean echo,
            String resumeKey) {
        int bang = resumeKey.indexOf('!');
        if (bang <= 0) {
            return fresh(transport, loop, auth, clientId, echo, unableToResume(resumeKey));
        }
        String connectionId = resumeKey.substring(0, bang);
        DeferredHandler deferred = new DeferredHandler();
        services.engine()
                .connections()
                .load(connectionId)
                .whenComplete((record, failure) -> loop.run(() -> {
                    long now = services.clock().millis();
                    if (failure == null
                            && record != null
                            && record.connectionKey().equals(resumeKey)
                            && record.expiresAt() > now
                            && compatible(record.appId(), record.clientId(), auth, clientId)
                            && !sessions.containsKey(connectionId)) {
                        try {
                            services.rateLimits().acquireConnection(auth.keyName());
                        } catch (AblyException e) {
                            refuse(
                                    transport,
                                    java.util.Map.of(
                                            "format", transport.format().name().toLowerCase(Locale.ROOT)),
                                    e.error());
                            deferred.bind(IGNORE);
                            return;
                        }
                        // a new key, as on every resume: a stale copy of the old one can no longer take the connection
                        // back
                        Session s = new Session(this, services, loop, auth, clientId, echo, connectionId, null);
                        sessions.put(connectionId, s);
                        deferred.bind(s.handlerFor(transport));
                        services.engine()
                                .connections()
                                .announceTakeover(
                                        connectionId, services.config().serverId());
                        s.bind(transport, null);
                    } else {
                        deferred.bind(fresh(transport, loop, auth, clientId, echo, unableToResume(resumeKey)));
                    }
                }));
        return deferred;
    }

    /** Another node took a connection over: drop our copy quietly. */
    public void onTakeover(String connectionId, String nodeId) {
        if (nodeId.equals(services.config().serverId())) {
            return;
        }
        Session s = sessions.get(connectionId);
        if (s != null) {
            s.loop.execute(s::takenOver);
        }
    }

    private static ErrorInfo unableToResume(String key) {
        return ErrorCode.INVALID_CONNECTION_KEY.info("Unable to recover connection: connection key " + key
                + " is unknown or has expired; a new connection was made");
    }

    private ConnectionHandler fresh(
            Transport transport,
            Loop loop,
            AuthContext auth,
            @Nullable String clientId,
            boolean echo,
            @Nullable ErrorInfo connectedError) {
        try {
            services.rateLimits().acquireConnection(auth.keyName());
        } catch (AblyException e) {
            refuse(
                    transport,
                    java.util.Map.of("format", transport.format().name().toLowerCase(Locale.ROOT)),
                    e.error());
            return IGNORE;
        }
        Session s = new Session(this, services, loop, auth, clientId, echo);
        sessions.put(s.connectionId, s);
        ConnectionHandler handler = s.handlerFor(transport);
        loop.run(() -> s.bind(transport, connectedError));
        return handler;
    }

    private AuthContext authenticate(ConnectParams p) {
        if (p.accessToken() != null) {
            return services.authenticator().token(p.accessToken());
        }
        if (p.key() != null) {
            return services.authenticator().key(p.key());
        }
        throw new AblyException(
                ErrorCode.UNAUTHORIZED, "No credentials: connect with key=<api key> or access_token=<token>");
    }

    /** The connection's identity from the credentials and the {@code clientId} param (SPEC RSA7, RTN2d). */
    static @Nullable String identity(AuthContext auth, @Nullable String requested) {
        if (requested != null && (requested.isEmpty() || "*".equals(requested))) {
            throw new AblyException(ErrorCode.INVALID_CLIENT_ID, "Invalid clientId '" + requested + "'");
        }
        String fixed = auth.fixedClientId();
        if (fixed != null) {
            if (requested != null && !requested.equals(fixed)) {
                throw new AblyException(
                        ErrorCode.INCOMPATIBLE_CREDENTIALS,
                        "Invalid clientId for credentials: " + "the token is for clientId '" + fixed
                                + "', the connection asked for '" + requested + "'");
            }
            return fixed;
        }
        if ("*".equals(auth.clientId())) {
            return requested;
        }
        if (requested != null) {
            throw new AblyException(
                    ErrorCode.INCOMPATIBLE_CREDENTIALS,
                    "Invalid clientId for credentials: the token "
                            + "has no clientId, so the connection cannot use clientId '" + requested + "'");
        }
        return null;
    }

    private void refuse(Transport transport, Map<String, String> query, ErrorInfo error) {
        services.observer().connectionRefused(error);
        if (error.statusCode() == 401 || error.code() == 40400) {
            services.observer().authFailed(error);
        }
        Format f = Format.fromParam(query.get("format"));
        if (f == null) {
            f = transport.format();
        }
        transport.send(ProtocolCodec.of(f).encode(ProtocolMessage.error(Action.ERROR, error)));
        transport.close();
    }

    @Nullable
    Session byConnectionKey(String connectionKey) {
        int bang = connectionKey.indexOf('!');
        if (bang <= 0) {
            return null;
        }
        Session s = sessions.get(connectionKey.substring(0, bang));
        return s != null && s.matchesKey(connectionKey) ? s : null;
    }

    void remove(Session s) {
        sessions.remove(s.connectionId, s);
    }

    @Override
    public @Nullable ConnectionRef byKey(@Nullable String connectionKey) {
        Session s = connectionKey == null ? null : byConnectionKey(connectionKey);
        return s == null || s.isClosed() ? null : new ConnectionRef(s.appId(), s.connectionId, s.clientId());
    }

    /**
     * Applies a one-shot connection fault (drop, disconnect, fail, token expiry) to the live connections it targets;
     * returns how many were told.
     */
    public int injectConnectionFault(Fault f) {
        int n = 0;
        for (Session s : sessions.values()) {
            if (s.isConnected() && f.targets(s.appId(), s.connectionId, s.clientId())) {
                n++;
                s.loop.execute(() -> FaultActions.onConnection(s, f));
            }
        }
        return n;
    }

    /** Applies a one-shot channel fault to the targeted connections attached to its channel; returns how many. */
    public int injectChannelFault(Fault f) {
        int n = 0;
        for (Session s : sessions.values()) {
            if (s.isConnected() && f.targets(s.appId(), s.connectionId, s.clientId())) {
                n++;
                s.loop.execute(() -> s.channels.injected(f));
            }
        }
        return n;
    }

    /** Hands a revocation to every session of its key. */
    public void onRevocation(Revocation r) {
        for (Session s : sessions.values()) {
            if (r.keyName().equals(s.auth().keyName())) {
                s.loop.execute(() -> s.onRevocation(r));
            }
        }
    }

    /** Tells every session about the current configuration of its key ({@code null} when removed). */
    public void keysChanged(java.util.function.Function<String, io.herald.core.config.KeyConfig> keys) {
        for (Session s : sessions.values()) {
            var key = keys.apply(s.auth().keyName());
            s.loop.execute(() -> s.keyChanged(key));
        }
    }

    /**
     * Drain, first step: every session stops reading and answers what it already received. The stage completes when
     * all publishes in flight have their ACK or NACK.
     */
    public CompletableFuture<Void> quiesceAll() {
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (Session s : sessions.values()) {
            // on the session's loop; however it ends, the session has settled
            all.add(CompletableFuture.<Void>completedFuture(null)
                    .thenComposeAsync(v -> s.quiesce(), s.loop)
                    .exceptionally(t -> null));
        }
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
    }

    /** Disconnects every connected session (server shutdown); clients resume elsewhere. */
    public void shutdownAll(ErrorInfo reason) {
        for (Session s : sessions.values()) {
            s.loop.execute(() -> s.shutdown(reason));
        }
    }

    public int size() {
        return sessions.size();
    }

    /** Sessions with a live transport (an approximate count: it reads state owned by other loops). */
    public int connectedCount() {
        int n = 0;
        for (Session s : sessions.values()) {
            if (s.isConnected()) {
                n++;
            }
        }
        return n;
    }
}

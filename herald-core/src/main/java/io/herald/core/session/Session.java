package io.herald.core.session;

import io.herald.core.channel.MessageRules;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.Revocation;
import io.herald.core.fault.Faults;
import io.herald.core.internal.Ids;
import io.herald.core.security.AuthContext;
import io.herald.core.transport.Loop;
import io.herald.core.transport.Transport;
import io.herald.protocol.Action;
import io.herald.protocol.ConnectionDetails;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolMessage;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One realtime connection (docs/protocol.md §3), driven by any transport through {@link #handlerFor}. All state is
 * confined to {@link #loop}. The session outlives its transport: when the socket drops it is SUSPENDED for
 * {@code connectionStateTtl} and a client presenting its connection key resumes it (§3.4); its presence members
 * leave after {@code presenceLeaveDelay} unless it does.
 *
 * <p>The session coordinates; each part of the job is a collaborator's: {@link Outbound} (the send path),
 * {@link Heartbeats} (maxIdleInterval), {@link AuthLifecycle} (credentials, expiry, revocation), {@link ResumeWindow}
 * (connection key, record, suspension), {@link Attachments} (the channels), {@link PublishQueue} (ACK/NACK in order)
 * and {@link Inbound} (the client's frames, within {@link InboundLimits}).
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    enum State {
        CONNECTED,
        SUSPENDED,
        CLOSED
    }

    final SessionServices services;
    final Loop loop;
    final String connectionId;
    private final SessionManager manager;
    private volatile State state = State.CONNECTED;
    /** Whether this connection was counted as opened in the app's usage statistics (once, not again on resume). */
    private boolean countedOpen;
    /** The connection's identity (CD2a), or null when anonymous. */
    private final @Nullable String clientId;

    boolean echo;
    private final Limits limits;
    /** The key this connection counts against (maxConnectionsPerKey). */
    private final String accountedKey;

    private final Timings timings;
    final Outbound out;
    final Heartbeats heartbeats;
    final AuthLifecycle auth;
    private final ResumeWindow window;
    final Attachments channels;
    final PublishQueue publishes;
    private final Inbound inbound;

    Session(
            SessionManager manager,
            SessionServices services,
            Loop loop,
            AuthContext auth,
            @Nullable String clientId,
            boolean echo) {
        this(manager, services, loop, auth, clientId, echo, null, null);
    }

    /** A session continuing a connection another node held (cross-node resume). */
    Session(
            SessionManager manager,
            SessionServices services,
            Loop loop,
            AuthContext auth,
            @Nullable String clientId,
            boolean echo,
            @Nullable String connectionId,
            @Nullable String connectionKey) {
        this.manager = manager;
        this.services = services;
        this.loop = loop;
        this.connectionId = connectionId != null ? connectionId : Ids.alphanumeric(10);
        this.clientId = clientId;
        this.echo = echo;
        this.limits = services.limits().apply(auth.appId());
        this.accountedKey = auth.keyName();
        this.timings = services.config().timings();
        this.out = new Outbound(services.clock(), services.observer());
        this.out.countInto(services.stats(), auth.appId());
        this.out.injectLatency(manager.faults(), loop, auth.appId(), this.connectionId, clientId);
        this.heartbeats = new Heartbeats(
                loop, services.clock(), out, timings.maxIdleInterval().toMillis());
        this.auth = new AuthLifecycle(
                new AuthOwner(),
                loop,
                services.clock(),
                services.authenticator(),
                services.observer(),
                timings.reauthBeforeExpiry(),
                auth);
        this.window = new ResumeWindow(
                new ResumeWindow.Owner() {
                    @Override
                    public void membersLeave() {
                        channels.membersLeave();
                    }

                    @Override
                    public void expired() {
                        end(true);
                    }
                },
                loop,
                services.clock(),
                services.engine().connections(),
                timings,
                this.connectionId,
                connectionKey,
                auth.appId(),
                clientId,
                services.config().serverId());
        this.channels = new Attachments(this);
        this.publishes = new PublishQueue(this);
        this.inbound = new Inbound(this, new InboundLimits(limits));
    }

    // ---- identity ----

    String appId() {
        return auth.current().appId();
    }

    AuthContext auth() {
        return auth.current();
    }

    @Nullable
    String clientId() {
        return clientId;
    }

    String connectionKey() {
        return window.key();
    }

    boolean matchesKey(String key) {
        return window.matches(key);
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    ChannelDeltas deltas() {
        return manager.deltas;
    }

    Faults faults() {
        return manager.faults();
    }

    boolean isConnected() {
        return state == State.CONNECTED;
    }

    long now() {
        return services.clock().millis();
    }

    Limits limits() {
        return limits;
    }

    /** Who publishes on the channel {@code base}: this connection, its clientId and its user claim there. */
    MessageRules.Publisher publisher(String base) {
        AuthContext a = auth.current();
        boolean any = clientId == null && "*".equals(a.clientId());
        return new MessageRules.Publisher(
                connectionId, clientId, any, a.userClaims().forChannel(base));
    }

    @Nullable
    Attachment attachment(String channel) {
        return channels.get(channel);
    }

    boolean allows(String channel, String operation) {
        return auth.allows(channel, operation);
    }

    String denial(String channel, String operation) {
        return auth.denial(channel, operation);
    }

    void send(ProtocolMessage pm) {
        out.send(pm);
    }

    void sendChannelError(String channel, ErrorInfo error) {
        out.sendChannelError(channel, error);
    }

    // ---- transport ----

    /** Binds a transport (new connection or resume) and sends CONNECTED. Runs on the loop. */
    void bind(Transport t, @Nullable ErrorInfo connectedError) {
        out.bind(t);
        state = State.CONNECTED;
        ProtocolMessage connected = connectedMessage();
        connected.error = connectedError;
        send(connected);
        heartbeats.start();
        auth.start();
        window.connected();
        services.observer().connectionOpened(t.format().name());
        if (!countedOpen) {
            countedOpen = true;
            services.stats().connectionOpened(appId());
        }
    }

    /** A client resumed this connection on a new transport (docs/protocol.md §3.4); its credentials may be a new token. */
    void resume(Transport t, AuthContext newAuth, boolean newEcho) {
        auth.replace(newAuth);
        echo = newEcho;
        window.renewKey();
        bind(t, null);
    }

    private ProtocolMessage connectedMessage() {
        AuthContext a = auth.current();
        ProtocolMessage pm = new ProtocolMessage(Action.CONNECTED);
        pm.connectionId = connectionId;
        pm.connectionKey = window.key();
        ConnectionDetails d = new ConnectionDetails();
        d.clientId = clientId != null ? clientId : (a.isToken() && "*".equals(a.clientId()) ? "*" : null);
        d.connectionKey = pm.connectionKey;
        d.maxMessageSize = (long) limits.maxMessageSize();
        d.maxFrameSize = (long) limits.maxFrameSize();
        d.maxInboundRate = (long) limits.maxInboundRate();
        d.connectionStateTtl = timings.connectionStateTtl().toMillis();
        d.maxIdleInterval = timings.maxIdleInterval().toMillis();
        d.serverId = services.config().serverId();
        io.herald.core.engine.ObjectsStore objects = services.engine().objects();
        if (objects.supported()) {
            d.siteCode = objects.siteCode();
            d.objectsGCGracePeriod = io.herald.core.objects.ObjectsLimits.DEFAULTS
                    .gcGracePeriod()
                    .toMillis();
        }
        pm.connectionDetails = d;
        return pm;
    }

    /** A handler bound to one transport: frames of a replaced transport are ignored. */
    ConnectionHandler handlerFor(Transport t) {
        return new ConnectionHandler() {
            @Override
            public void onMessage(ProtocolMessage message) {
                loop.run(() -> {
                    if (out.isBoundTo(t) && state == State.CONNECTED) {
                        inbound.handle(message);
                    }
                });
            }

            @Override
            public void onProtocolError(ErrorInfo error) {
                loop.run(() -> {
                    if (out.isBoundTo(t)) {
                        fail(error);
                    }
                });
            }

            @Override
            public void onClosed(String reason) {
                loop.run(() -> {
                    if (out.isBoundTo(t)) {
                        transportLost(reason);
                    }
                });
            }
        };
    }

    // ---- credentials ----

    /** Applies a revocation: disconnects with 40141 if it matches now, or checks again when it applies. */
    void onRevocation(Revocation r) {
        auth.onRevocation(r);
    }

    /** The configuration of the connection's key changed (reload, sandbox); {@code null} when it was removed. */
    void keyChanged(@Nullable KeyConfig key) {
        auth.keyChanged(key);
    }

    /** What the credentials' changes mean for the connection. */
    private final class AuthOwner implements AuthLifecycle.Owner {
        @Override
        public boolean isConnected() {
            return state == State.CONNECTED;
        }

        @Override
        public boolean isClosed() {
            return state == State.CLOSED;
        }

        @Override
        public @Nullable String clientId() {
            return clientId;
        }

        @Override
        public void send(ProtocolMessage pm) {
            out.send(pm);
        }

        @Override
        public void disconnect(ErrorInfo error) {
            Session.this.disconnect(error);
        }

        @Override
        public void fail(ErrorInfo error) {
            Session.this.fail(error);
        }

        @Override
        public void renewed() {
            send(connectedMessage());
            channels.recheck();
        }

        @Override
        public void narrowed() {
            channels.recheck();
        }
    }

    // ---- lifecycle ----

    /** DISCONNECTED with an error, then close the transport; the client may resume. */
    void disconnect(ErrorInfo error) {
        if (state != State.CONNECTED) {
            return;
        }
        send(ProtocolMessage.error(Action.DISCONNECTED, error));
        Transport t = out.transport();
        transportLost("disconnected: " + error.message());
        if (t != null) {
            t.close();
        }
    }

    /**
     * The transport is cut without a frame, as a network failure cuts it (an injected fault): the client sees the
     * socket drop at once and may resume.
     */
    void dropTransport(String reason) {
        Transport t = out.transport();
        transportLost(reason);
        if (t != null) {
            t.abort();
        }
    }

    /** A connection-level ERROR: the client fails; the connection's state is dropped. */
    void fail(ErrorInfo error) {
        if (state == State.CLOSED) {
            return;
        }
        send(ProtocolMessage.error(Action.ERROR, error));
        end(true);
    }

    /** The client's CLOSE: CLOSED, members leave now, state dropped (SPEC RTN12a). */
    void close() {
        send(new ProtocolMessage(Action.CLOSED));
        end(true);
    }

    /** The socket is gone without a CLOSE: keep state for a resume. */
    void transportLost(String reason) {
        if (state != State.CONNECTED) {
            return;
        }
        LOG.debug("connection {}: transport lost ({})", connectionId, reason);
        out.unbind();
        state = State.SUSPENDED;
        heartbeats.stop();
        auth.pause();
        observeFormat(format -> services.observer().connectionSuspended(format));
        window.suspended();
        channels.suspendAll();
    }

    /**
     * Drops the connection's state. As its owner ({@code owner}) it publishes its members' leaves and forgets its
     * record; after a takeover by another node it does neither.
     */
    private void end(boolean owner) {
        if (state == State.CLOSED) {
            return;
        }
        boolean wasConnected = state == State.CONNECTED;
        state = State.CLOSED;
        heartbeats.stop();
        auth.stop();
        channels.endAll(owner);
        publishes.clear();
        window.ended(owner);
        services.rateLimits().releaseConnection(accountedKey);
        manager.remove(this);
        Transport t = out.unbind();
        if (t != null) {
            t.close();
        }
        if (wasConnected) {
            observeFormat(format -> services.observer().connectionClosed(format));
        }
        if (countedOpen) {
            countedOpen = false;
            services.stats().connectionClosed(appId());
        }
    }

    private void observeFormat(java.util.function.Consumer<String> event) {
        Format f = out.format();
        if (f != null) {
            event.accept(f.name());
        }
    }

    /** Another node took this connection over: drop it without presence leaves (the members moved with it). */
    void takenOver() {
        end(false);
    }

    /** Drain, first step: read nothing more from the client; the stage completes once its publishes are answered. */
    CompletableFuture<Void> quiesce() {
        Transport t = out.transport();
        if (t != null) {
            t.pauseReading();
        }
        return publishes.settledStage();
    }

    /** Server shutdown: DISCONNECTED so clients reconnect (to another node), then close. */
    void shutdown(ErrorInfo reason) {
        if (state == State.CONNECTED) {
            send(ProtocolMessage.error(Action.DISCONNECTED, reason));
            Transport t = out.transport();
            if (t != null) {
                t.close();
            }
        }
    }

    @Override
    public String toString() {
        return "Session{" + connectionId + " " + state + " clientId=" + clientId + "}";
    }
}

package io.herald.core.session;

import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.MessageRules;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Revocation;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.presence.PresenceRules;
import io.herald.core.security.AuthContext;
import io.herald.core.transport.Loop;
import io.herald.core.transport.Transport;
import io.herald.protocol.Action;
import io.herald.protocol.ConnectionDetails;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Format;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One realtime connection (docs/protocol.md §3). All state is confined to {@link #loop}. The session outlives its
 * transport: when the socket drops it is SUSPENDED for {@code connectionStateTtl} and a client presenting its
 * connection key resumes it (§3.4); its presence members leave after {@code presenceLeaveDelay} unless it does.
 */
public final class Session {
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    enum State { CONNECTED, SUSPENDED, CLOSED }

    final SessionServices services;
    final Loop loop;
    final String connectionId;
    private final SessionManager manager;
    private volatile String connectionKey;
    private volatile State state = State.CONNECTED;
    private Transport transport;
    private Format format;
    private AuthContext auth;
    /** The connection's identity (CD2a), or null when anonymous. */
    private String clientId;
    boolean echo;
    private final Map<String, Attachment> attachments = new HashMap<>();
    final PublishQueue publishes;
    private final Limits limits;
    /** The key this connection counts against (maxConnectionsPerKey). */
    private final String accountedKey;
    private final Timings timings;
    private long lastSentAt;
    private final InboundLimits inbound;
    private Loop.Cancellable heartbeatTimer = Loop.Cancellable.NONE;
    private Loop.Cancellable authTimer = Loop.Cancellable.NONE;
    private Loop.Cancellable expiryTimer = Loop.Cancellable.NONE;
    private Loop.Cancellable leaveTimer = Loop.Cancellable.NONE;
    private Loop.Cancellable destroyTimer = Loop.Cancellable.NONE;
    private Loop.Cancellable revocationTimer = Loop.Cancellable.NONE;
    private Loop.Cancellable recordTimer = Loop.Cancellable.NONE;

    Session(SessionManager manager, SessionServices services, Loop loop, AuthContext auth, String clientId,
            boolean echo) {
        this(manager, services, loop, auth, clientId, echo, null, null);
    }

    /** A session continuing a connection another node held (cross-node resume). */
    Session(SessionManager manager, SessionServices services, Loop loop, AuthContext auth, String clientId,
            boolean echo, String connectionId, String connectionKey) {
        this.manager = manager;
        this.services = services;
        this.loop = loop;
        this.connectionId = connectionId != null ? connectionId : Ids.alphanumeric(10);
        this.connectionKey = connectionKey != null ? connectionKey : this.connectionId + "!" + Ids.urlSafe(12);
        this.auth = auth;
        this.clientId = clientId;
        this.echo = echo;
        this.limits = services.limits().apply(auth.appId());
        this.accountedKey = auth.keyName();
        this.timings = services.config().timings();
        this.publishes = new PublishQueue(this);
        this.inbound = new InboundLimits(limits, now());
    }

    // ---- identity ----

    String appId() {
        return auth.appId();
    }

    AuthContext auth() {
        return auth;
    }

    String clientId() {
        return clientId;
    }

    String connectionKey() {
        return connectionKey;
    }

    boolean matchesKey(String key) {
        return connectionKey.equals(key);
    }

    boolean isClosed() {
        return state == State.CLOSED;
    }

    long now() {
        return services.clock().millis();
    }

    MessageRules.Publisher publisher() {
        boolean any = clientId == null && "*".equals(auth.clientId());
        return new MessageRules.Publisher(connectionId, clientId, any);
    }

    // ---- transport ----

    /** Binds a transport (new connection or resume) and sends CONNECTED. Runs on the loop. */
    void bind(Transport t, ErrorInfo connectedError) {
        if (transport != null && transport != t) {
            Transport old = transport;
            transport = null;
            old.close();
        }
        transport = t;
        format = t.format();
        state = State.CONNECTED;
        leaveTimer.cancel();
        destroyTimer.cancel();
        ProtocolMessage connected = connectedMessage();
        connected.error = connectedError;
        send(connected);
        startHeartbeats();
        scheduleAuthTimers();
        keepRecord();
        services.observer().connectionOpened(format.name());
    }

    /** Keeps this connection's record in the engine fresh so another node can resume it if this one dies. */
    private void keepRecord() {
        recordTimer.cancel();
        long ttl = timings.connectionStateTtl().toMillis();
        saveRecord(now() + ttl + ttl / 2);
        recordTimer = loop.schedule(this::keepRecord, ttl / 2, TimeUnit.MILLISECONDS);
    }

    private void saveRecord(long expiresAt) {
        services.engine().connections().save(new io.herald.core.engine.ConnectionRecord(connectionId, connectionKey,
                appId(), clientId, services.config().serverId(), expiresAt)).whenComplete((v, t) -> {
                    if (t != null) {
                        LOG.debug("connection {}: saving its record failed: {}", connectionId, t.toString());
                    }
                });
    }

    /** A client resumed this connection on a new transport (docs/protocol.md §3.4); its credentials may be a new token. */
    void resume(Transport t, AuthContext newAuth, boolean newEcho) {
        auth = newAuth;
        echo = newEcho;
        connectionKey = connectionId + "!" + Ids.urlSafe(12);
        bind(t, null);
    }

    private ProtocolMessage connectedMessage() {
        ProtocolMessage pm = new ProtocolMessage(Action.CONNECTED);
        pm.connectionId = connectionId;
        pm.connectionKey = connectionKey;
        ConnectionDetails d = new ConnectionDetails();
        d.clientId = clientId != null ? clientId : (auth.isToken() && "*".equals(auth.clientId()) ? "*" : null);
        d.connectionKey = connectionKey;
        d.maxMessageSize = (long) limits.maxMessageSize();
        d.maxFrameSize = (long) limits.maxFrameSize();
        d.maxInboundRate = (long) limits.maxInboundRate();
        d.connectionStateTtl = timings.connectionStateTtl().toMillis();
        d.maxIdleInterval = timings.maxIdleInterval().toMillis();
        d.serverId = services.config().serverId();
        pm.connectionDetails = d;
        return pm;
    }

    void send(ProtocolMessage pm) {
        Transport t = transport;
        if (t == null) {
            return;
        }
        t.send(ProtocolCodec.of(format).encode(pm));
        lastSentAt = now();
    }

    void sendEvent(Attachment att, ChannelEvent event, List<PresenceMessage> onlyThese) {
        Transport t = transport;
        if (t == null) {
            return;
        }
        if (onlyThese == null && att.name.full().equals(att.name.base())) {
            t.send(event.encoded(format));
        } else {
            t.send(ProtocolCodec.of(format).encode(att.rewrite(event, onlyThese)));
        }
        lastSentAt = now();
        services.observer().delivered(1);
    }

    /** A channel event rewritten for one attachment (fewer messages or presence, another channel name). */
    void sendRewritten(ProtocolMessage pm) {
        send(pm);
        services.observer().delivered(1);
    }

    void sendChannelError(String channel, ErrorInfo error) {
        ProtocolMessage pm = ProtocolMessage.of(Action.ERROR, channel);
        pm.error = error;
        send(pm);
    }

    /** A handler bound to one transport: frames of a replaced transport are ignored. */
    ConnectionHandler handlerFor(Transport t) {
        return new ConnectionHandler() {
            @Override
            public void onMessage(ProtocolMessage message) {
                loop.run(() -> {
                    if (transport == t && state == State.CONNECTED) {
                        handle(message);
                    }
                });
            }

            @Override
            public void onProtocolError(ErrorInfo error) {
                loop.run(() -> {
                    if (transport == t) {
                        fail(error);
                    }
                });
            }

            @Override
            public void onClosed(String reason) {
                loop.run(() -> {
                    if (transport == t) {
                        transportLost(reason);
                    }
                });
            }
        };
    }

    // ---- inbound ----

    private void handle(ProtocolMessage pm) {
        try {
            if (!admitControl(pm)) {
                return;
            }
            switch (pm.action) {
                case Action.HEARTBEAT -> {
                    ProtocolMessage hb = new ProtocolMessage(Action.HEARTBEAT);
                    hb.id = pm.id;
                    send(hb);
                }
                case Action.CLOSE -> close();
                case Action.DISCONNECT -> {
                    Transport t = transport;
                    if (t != null) {
                        t.close();
                        transportLost("client sent DISCONNECT");
                    }
                }
                case Action.ATTACH -> attach(pm);
                case Action.DETACH -> detach(pm);
                case Action.MESSAGE, Action.PRESENCE -> {
                    if (!admitInbound(pm)) {
                        return;
                    }
                    publishes.submit(pm);
                }
                case Action.AUTH -> reauth(pm);
                case Action.SYNC -> sync(pm);
                case Action.ACK, Action.NACK, Action.CONNECT, Action.OBJECT, Action.ANNOTATION -> {
                    // nothing to do for these from a client; OBJECT/ANNOTATION (LiveObjects, annotations) unsupported
                    if (pm.msgSerial != null) {
                        publishes.rejectUnsupported(pm);
                    }
                }
                default -> fail(ErrorCode.BAD_REQUEST.info("Unexpected " + Action.name(pm.action)
                        + " ProtocolMessage from a client"));
            }
        } catch (AblyException e) {
            if (pm.channel != null) {
                sendChannelError(pm.channel, e.error());
            } else {
                fail(e.error());
            }
        } catch (RuntimeException e) {
            LOG.error("connection {}: failure handling {}", connectionId, pm, e);
            fail(ErrorCode.INTERNAL_CONNECTION_ERROR.info("Internal error handling " + Action.name(pm.action)));
        }
    }

    /**
     * Inbound message limits: at most maxMessagesPerProtocolMessage in one frame (40009), and maxInboundRate messages
     * per second with a burst, counted per message (42911); a flood that goes on disconnects (42921).
     */
    private boolean admitInbound(ProtocolMessage pm) {
        ErrorInfo tooMany = inbound.tooMany(pm);
        if (tooMany != null) {
            publishes.rejectNow(pm, tooMany);
            return false;
        }
        InboundLimits.Verdict v = inbound.messages(pm, now());
        if (v == InboundLimits.Verdict.ADMIT) {
            services.observer().messagesIn(InboundLimits.count(pm));
            return true;
        }
        publishes.rejectNow(pm, inbound.messageRateError(false));
        if (v == InboundLimits.Verdict.DISCONNECT) {
            disconnect(inbound.messageRateError(true));
        }
        return false;
    }

    /** Rate limit of control frames (maxControlRate with controlBurst): 42910, a flood that goes on 42920. */
    private boolean admitControl(ProtocolMessage pm) {
        switch (pm.action) {
            case Action.ATTACH, Action.DETACH, Action.SYNC, Action.AUTH, Action.HEARTBEAT -> {
            }
            default -> {
                return true;
            }
        }
        InboundLimits.Verdict v = inbound.control(now());
        if (v == InboundLimits.Verdict.ADMIT) {
            return true;
        }
        if (v == InboundLimits.Verdict.DISCONNECT) {
            disconnect(inbound.controlRateError(Action.name(pm.action), true));
        } else if (pm.channel != null) {
            sendChannelError(pm.channel, inbound.controlRateError(Action.name(pm.action), false));
        }
        return false;
    }

    // ---- channels ----

    private void attach(ProtocolMessage pm) {
        ChannelName name = ChannelName.parse(pm.channel);
        var ops = auth.capability().operationsFor(name.base());
        Map<String, String> params = new HashMap<>(name.params());
        if (pm.params != null) {
            params.putAll(pm.params);
        }
        params = io.herald.core.channel.Modes.recognisedParams(params);
        int requested = params.containsKey("modes") ? io.herald.core.channel.Modes.parse(params.get("modes"))
                : pm.flags & io.herald.protocol.Flags.MODE_ALL;
        int modes = io.herald.core.channel.Modes.granted(requested, ops);
        if (modes == 0) {
            Attachment existing = attachments.remove(name.full());
            if (existing != null) {
                drop(existing, false);
            }
            throw new AblyException(ErrorCode.OPERATION_NOT_PERMITTED, denial(name.base(), "subscribe"));
        }
        Attachment att = attachments.get(name.full());
        if (att == null) {
            if (attachments.size() >= limits.maxChannelsPerConnection()) {
                throw new AblyException(ErrorCode.CHANNEL_LIMIT_EXCEEDED, "Maximum number of channels per connection ("
                        + limits.maxChannelsPerConnection() + ") exceeded");
            }
            att = new Attachment(this, name);
            attachments.put(name.full(), att);
        }
        att.requestedModes = requested;
        att.modes = modes;
        att.params = params;
        new AttachProcedure(this, att, pm.channelSerial, pm.hasFlag(io.herald.protocol.Flags.ATTACH_RESUME)).start();
    }

    /** A client asks for the presence set again (SPEC RTP19): answer with a complete SYNC. */
    private void sync(ProtocolMessage pm) {
        Attachment att = pm.channel == null ? null : attachments.get(pm.channel);
        if (att == null || att.state != Attachment.State.ATTACHED
                || !att.hasMode(io.herald.protocol.Flags.MODE_PRESENCE_SUBSCRIBE)) {
            return;
        }
        int generation = att.generation;
        services.engine().presence().members(att.id).whenComplete((snapshot, failure) -> loop.run(() -> {
            if (failure != null || att.generation != generation || state != State.CONNECTED) {
                return;
            }
            List<ProtocolMessage> pages = PresenceRules.syncPages(att.name.full(), snapshot.members());
            if (pages.isEmpty()) {
                ProtocolMessage empty = ProtocolMessage.of(Action.SYNC, att.name.full());
                empty.channelSerial = Ids.alphanumeric(10) + ":";
                empty.presence = List.of();
                pages = List.of(empty);
            }
            pages.forEach(this::send);
        }));
    }

    private void detach(ProtocolMessage pm) {
        Attachment att = attachments.remove(pm.channel);
        if (att != null) {
            drop(att, true);
        }
        send(ProtocolMessage.of(Action.DETACHED, pm.channel));
    }

    /** Stops delivery to an attachment; its own members leave if {@code leave}. */
    void drop(Attachment att, boolean leave) {
        att.generation++;
        att.state = Attachment.State.DETACHED;
        att.clearBuffer();
        if (att.inHub) {
            att.inHub = false;
            services.hub().remove(att.id, att);
        }
        if (leave) {
            leaveOwnMembers(att);
        }
    }

    /**
     * Publishes LEAVE for the members this connection entered on the channel. The leaves are synthesized (their ids
     * do not start with the connectionId, SPEC RTP2b1) so clients order them by timestamp after the member's last
     * event.
     */
    void leaveOwnMembers(Attachment att) {
        if (att.ownMembers.isEmpty()) {
            return;
        }
        List<PresenceMessage> members = new ArrayList<>(att.ownMembers.values());
        att.ownMembers.clear();
        List<PresenceMessage> leaves = PresenceRules.synthesizedLeaves(members, now());
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, att.name.base());
        pm.presence = leaves;
        pm.connectionId = connectionId;
        pm.id = leaves.get(0).id;
        pm.timestamp = now();
        services.engine().broker().publish(new PublishRequest(att.id, pm,
                services.channels().retention(appId(), att.name), false)).whenComplete((o, t) -> {
                    if (t != null) {
                        LOG.warn("connection {}: presence leave on {} failed: {}", connectionId, att.id, t.toString());
                    }
                });
    }

    Limits limits() {
        return limits;
    }

    Attachment attachment(String channel) {
        return attachments.get(channel);
    }

    String denial(String channel, String operation) {
        return "Operation not permitted: " + operation + " on channel '" + channel + "' is not allowed by the "
                + "capability " + auth.capability().canonical();
    }

    boolean allows(String channel, String operation) {
        return auth.capability().allows(channel, operation);
    }

    // ---- auth ----

    private void reauth(ProtocolMessage pm) {
        if (pm.auth == null || pm.auth.accessToken == null || pm.auth.accessToken.isEmpty()) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "AUTH without auth.accessToken");
        }
        AuthContext next;
        try {
            next = services.authenticator().token(pm.auth.accessToken);
        } catch (AblyException e) {
            int code = e.error().code();
            if (code >= 40140 && code < 40150) {
                disconnect(e.error());
            } else {
                fail(e.error());
            }
            return;
        }
        if (!next.appId().equals(auth.appId())) {
            fail(ErrorCode.INVALID_CREDENTIALS.info("The new token is for another app"));
            return;
        }
        String fixed = next.fixedClientId();
        if (clientId != null ? (fixed != null && !fixed.equals(clientId)) || (next.clientId() == null)
                : fixed != null) {
            fail(ErrorCode.INCOMPATIBLE_CREDENTIALS.info("Invalid clientId for credentials: the connection's clientId "
                    + (clientId == null ? "(none)" : "'" + clientId + "'") + " cannot change to "
                    + (fixed == null ? "(none)" : "'" + fixed + "'")));
            return;
        }
        auth = next;
        services.observer().reauthenticated();
        scheduleAuthTimers();
        send(connectedMessage());
        recheckCapability();
    }

    /** After new credentials: channels the capability no longer covers are detached with 40160 (RTC8a1). */
    private void recheckCapability() {
        for (Attachment att : new ArrayList<>(attachments.values())) {
            var ops = auth.capability().operationsFor(att.name.base());
            int modes = io.herald.core.channel.Modes.granted(att.requestedModes, ops);
            if (modes == 0) {
                attachments.remove(att.name.full());
                drop(att, true);
                sendChannelError(att.name.full(), ErrorCode.OPERATION_NOT_PERMITTED.info(
                        denial(att.name.base(), "subscribe")));
            } else {
                att.modes = modes;
            }
        }
    }

    private void scheduleAuthTimers() {
        authTimer.cancel();
        expiryTimer.cancel();
        if (!auth.isToken()) {
            return;
        }
        long now = now();
        long remaining = auth.expires() - now;
        final AuthContext current = auth;
        if (remaining <= 0) {
            loop.execute(() -> expire(current));
            return;
        }
        long before = timings.reauthBeforeExpiry().toMillis();
        if (remaining > before) {
            authTimer = loop.schedule(() -> {
                if (auth == current && state == State.CONNECTED) {
                    send(new ProtocolMessage(Action.AUTH));
                }
            }, remaining - before, TimeUnit.MILLISECONDS);
        }
        expiryTimer = loop.schedule(() -> expire(current), remaining, TimeUnit.MILLISECONDS);
    }

    private void expire(AuthContext expired) {
        if (auth != expired || state != State.CONNECTED) {
            return;
        }
        disconnect(ErrorCode.TOKEN_EXPIRED.info("Token expired"));
    }

    /** Applies a revocation: disconnects with 40141 if it matches now, or checks again when it applies. */
    void onRevocation(Revocation r) {
        if (state == State.CLOSED || !auth.isToken()
                || !r.targets(auth.keyName(), auth.clientId(), auth.revocationKey(), auth.issued())) {
            return;
        }
        long now = now();
        if (now >= r.appliesAt()) {
            checkRevoked();
            return;
        }
        if (state == State.CONNECTED) {
            send(new ProtocolMessage(Action.AUTH));
        }
        revocationTimer.cancel();
        revocationTimer = loop.schedule(this::checkRevoked, r.appliesAt() - now, TimeUnit.MILLISECONDS);
    }

    /**
     * The configuration changed (reload, sandbox): a connection whose key is gone or has a new secret is disconnected
     * (40131 for a key, 40141 for a token of that key; its credentials are refused on the way back in), one whose
     * key's capability changed keeps only what both allow, channels it no longer covers are detached with 40160.
     */
    void keyChanged(io.herald.core.config.KeyConfig key) {
        if (state == State.CLOSED) {
            return;
        }
        if (key == null || !auth.verifiedBy(key.key())) {
            if (state == State.CONNECTED) {
                String why = key == null ? " was removed" : "'s secret was rotated";
                disconnect(auth.isToken()
                        ? ErrorCode.TOKEN_REVOKED.info("Token revoked: its key " + auth.keyName() + why)
                        : ErrorCode.KEY_REVOKED.info("Key revoked: key " + auth.keyName() + why));
            }
            return;
        }
        var narrowed = auth.capability().intersect(key.capability());
        if (!narrowed.equals(auth.capability())) {
            auth = new AuthContext(auth.kind(), auth.appId(), auth.keyName(), auth.clientId(), narrowed,
                    auth.issued(), auth.expires(), auth.tokenId(), auth.revocationKey(), auth.key());
            recheckCapability();
        }
    }

    void checkRevoked() {
        if (state == State.CLOSED) {
            return;
        }
        if (services.authenticator().revokedBy(auth, now()) != null) {
            disconnect(ErrorCode.TOKEN_REVOKED.info("Token revoked"));
        }
    }

    // ---- lifecycle ----

    private void startHeartbeats() {
        heartbeatTimer.cancel();
        long idle = timings.maxIdleInterval().toMillis();
        heartbeatTimer = loop.schedule(new Runnable() {
            @Override
            public void run() {
                if (state != State.CONNECTED) {
                    return;
                }
                if (now() - lastSentAt >= idle / 2) {
                    send(new ProtocolMessage(Action.HEARTBEAT));
                }
                Transport t = transport;
                if (t != null) {
                    t.ping();
                }
                heartbeatTimer = loop.schedule(this, idle / 3, TimeUnit.MILLISECONDS);
            }
        }, idle / 3, TimeUnit.MILLISECONDS);
    }

    /** DISCONNECTED with an error, then close the transport; the client may resume. */
    void disconnect(ErrorInfo error) {
        if (state != State.CONNECTED) {
            return;
        }
        send(ProtocolMessage.error(Action.DISCONNECTED, error));
        Transport t = transport;
        transportLost("disconnected: " + error.message());
        if (t != null) {
            t.close();
        }
    }

    /** A connection-level ERROR: the client fails; the connection's state is dropped. */
    void fail(ErrorInfo error) {
        if (state == State.CLOSED) {
            return;
        }
        send(ProtocolMessage.error(Action.ERROR, error));
        destroy();
    }

    /** The client's CLOSE: CLOSED, members leave now, state dropped (SPEC RTN12a). */
    private void close() {
        send(new ProtocolMessage(Action.CLOSED));
        destroy();
    }

    /** The socket is gone without a CLOSE: keep state for a resume. */
    private void transportLost(String reason) {
        if (state != State.CONNECTED) {
            return;
        }
        LOG.debug("connection {}: transport lost ({})", connectionId, reason);
        transport = null;
        state = State.SUSPENDED;
        heartbeatTimer.cancel();
        authTimer.cancel();
        expiryTimer.cancel();
        services.observer().connectionSuspended(format.name());
        recordTimer.cancel();
        saveRecord(now() + timings.connectionStateTtl().toMillis());
        for (Attachment att : attachments.values()) {
            att.generation++;
            att.clearBuffer();
            att.state = Attachment.State.SUSPENDED;
            if (att.inHub) {
                att.inHub = false;
                services.hub().remove(att.id, att);
            }
        }
        leaveTimer = loop.schedule(() -> {
            if (state == State.SUSPENDED) {
                for (Attachment att : attachments.values()) {
                    leaveOwnMembers(att);
                }
            }
        }, timings.presenceLeaveDelay().toMillis(), TimeUnit.MILLISECONDS);
        destroyTimer = loop.schedule(() -> {
            if (state == State.SUSPENDED) {
                destroy();
            }
        }, timings.connectionStateTtl().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void destroy() {
        end(true);
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
        heartbeatTimer.cancel();
        authTimer.cancel();
        expiryTimer.cancel();
        leaveTimer.cancel();
        destroyTimer.cancel();
        revocationTimer.cancel();
        recordTimer.cancel();
        for (Attachment att : attachments.values()) {
            if (!owner) {
                att.ownMembers.clear();
            }
            drop(att, owner);
        }
        attachments.clear();
        publishes.clear();
        if (owner) {
            services.engine().connections().remove(connectionId);
        }
        services.rateLimits().releaseConnection(accountedKey);
        manager.remove(this);
        Transport t = transport;
        transport = null;
        if (t != null) {
            t.close();
        }
        if (wasConnected && format != null) {
            services.observer().connectionClosed(format.name());
        }
    }

    /** Another node took this connection over: drop it without presence leaves (the members moved with it). */
    void takenOver() {
        end(false);
    }

    /** Drain, first step: read nothing more from the client; the stage completes once its publishes are answered. */
    java.util.concurrent.CompletableFuture<Void> quiesce() {
        Transport t = transport;
        if (t != null) {
            t.pauseReading();
        }
        return publishes.settledStage();
    }

    /** Server shutdown: DISCONNECTED so clients reconnect (to another node), then close. */
    void shutdown(ErrorInfo reason) {
        if (state == State.CONNECTED) {
            send(ProtocolMessage.error(Action.DISCONNECTED, reason));
            Transport t = transport;
            if (t != null) {
                t.close();
            }
        }
    }

    boolean isConnected() {
        return state == State.CONNECTED;
    }

    boolean isPublishAllowed(String channel) {
        return allows(channel, Operations.PUBLISH);
    }

    @Override
    public String toString() {
        return "Session{" + connectionId + " " + state + " clientId=" + clientId + "}";
    }
}

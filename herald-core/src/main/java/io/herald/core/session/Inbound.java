package io.herald.core.session;

import io.herald.core.internal.AblyException;
import io.herald.core.transport.Transport;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.ProtocolMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connected client's frames (docs/protocol.md §2): each passes its {@link InboundLimits} (control frames by rate,
 * MESSAGE and PRESENCE by count and rate) and goes to the part of the session whose job it is. A refusal on a channel
 * is an ERROR for that channel, any other one fails the connection. Confined to the session's loop.
 */
final class Inbound {
    /** Under the session's name, where a connection's failures have always been logged. */
    private static final Logger LOG = LoggerFactory.getLogger(Session.class);

    private final Session session;
    private final InboundLimits limits;

    Inbound(Session session, InboundLimits limits) {
        this.session = session;
        this.limits = limits;
    }

    void handle(ProtocolMessage pm) {
        try {
            if (!admitControl(pm)) {
                return;
            }
            switch (pm.action) {
                case Action.HEARTBEAT -> session.heartbeats.answer(pm);
                case Action.CLOSE -> session.close();
                case Action.DISCONNECT -> {
                    Transport t = session.out.transport();
                    if (t != null) {
                        t.close();
                        session.transportLost("client sent DISCONNECT");
                    }
                }
                case Action.ATTACH -> session.channels.attach(pm);
                case Action.DETACH -> session.channels.detach(pm);
                case Action.MESSAGE, Action.PRESENCE, Action.ANNOTATION, Action.OBJECT -> {
                    if (admitMessages(pm)) {
                        session.publishes.submit(pm);
                    }
                }
                case Action.AUTH -> session.auth.reauth(pm);
                case Action.SYNC -> session.channels.sync(pm);
                case Action.ACK, Action.NACK, Action.CONNECT -> {
                    // nothing to do for these from a client
                    if (pm.msgSerial != null) {
                        session.publishes.rejectUnsupported(pm);
                    }
                }
                default ->
                    session.fail(ErrorCode.BAD_REQUEST.info(
                            "Unexpected " + Action.name(pm.action) + " ProtocolMessage from a client"));
            }
        } catch (AblyException e) {
            if (pm.channel != null) {
                session.sendChannelError(pm.channel, e.error());
            } else {
                session.fail(e.error());
            }
        } catch (RuntimeException e) {
            LOG.error("connection {}: failure handling {}", session.connectionId, pm, e);
            session.fail(ErrorCode.INTERNAL_CONNECTION_ERROR.info("Internal error handling " + Action.name(pm.action)));
        }
    }

    /**
     * Inbound message limits: at most maxMessagesPerProtocolMessage in one frame (40009), and maxInboundRate messages
     * per second with a burst, counted per message (42911); a flood that goes on disconnects (42921).
     */
    private boolean admitMessages(ProtocolMessage pm) {
        ErrorInfo tooMany = limits.tooMany(pm);
        if (tooMany != null) {
            session.publishes.rejectNow(pm, tooMany);
            return false;
        }
        InboundLimits.Verdict v = limits.messages(pm, session.now());
        if (v == InboundLimits.Verdict.ADMIT) {
            session.services.observer().messagesIn(InboundLimits.count(pm));
            session.services
                    .stats()
                    .messages(
                            session.appId(),
                            true,
                            false,
                            pm.action == io.herald.protocol.Action.PRESENCE,
                            InboundLimits.count(pm),
                            io.herald.core.observe.AppStats.dataBytes(pm));
            return true;
        }
        session.publishes.rejectNow(pm, limits.messageRateError(false));
        if (v == InboundLimits.Verdict.DISCONNECT) {
            session.disconnect(limits.messageRateError(true));
        }
        return false;
    }

    /** Rate limit of control frames (maxControlRate with controlBurst): 42910, a flood that goes on 42920. */
    private boolean admitControl(ProtocolMessage pm) {
        switch (pm.action) {
            case Action.ATTACH, Action.DETACH, Action.SYNC, Action.AUTH, Action.HEARTBEAT -> {}
            default -> {
                return true;
            }
        }
        InboundLimits.Verdict v = limits.control(session.now());
        if (v == InboundLimits.Verdict.ADMIT) {
            return true;
        }
        if (v == InboundLimits.Verdict.DISCONNECT) {
            session.disconnect(limits.controlRateError(Action.name(pm.action), true));
        } else if (pm.channel != null) {
            session.sendChannelError(pm.channel, limits.controlRateError(Action.name(pm.action), false));
        }
        return false;
    }
}

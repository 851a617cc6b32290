package io.herald.core.session;

import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.Modes;
import io.herald.core.fault.Fault;
import io.herald.core.hub.OccupancyMetrics;
import io.herald.core.internal.AblyException;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Flags;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The channels of one session, by full channel name (docs/protocol.md §6): ATTACH (the modes the capability grants
 * of those asked, at most maxChannelsPerConnection), DETACH and SYNC from the client, and what happens to every
 * channel when the credentials narrow, the transport is lost, the members' leave delay runs out or the session ends.
 * One channel's own state is its {@link Attachment}'s. Confined to the session's loop.
 */
final class Attachments {
    private final Session session;
    /** Sized for the one or two channels most connections attach; it grows as any map does. */
    private final Map<String, Attachment> byName = new HashMap<>(4);

    Attachments(Session session) {
        this.session = session;
    }

    @Nullable
    Attachment get(String channel) {
        return byName.get(channel);
    }

    int size() {
        return byName.size();
    }

    /** The client's ATTACH: refused with 40160 when the capability grants no mode asked for, else answered. */
    void attach(ProtocolMessage pm) {
        ChannelName name = ChannelName.parse(pm.channel);
        ErrorInfo suspended =
                session.faults().attachRefusal(session.appId(), name.base(), session.connectionId, session.clientId());
        if (suspended != null) {
            detachWith(name.full(), suspended);
            return;
        }
        var ops = session.auth().capability().operationsFor(name.base());
        Map<String, String> params = new HashMap<>(name.params());
        if (pm.params != null) {
            params.putAll(pm.params);
        }
        params = Modes.recognisedParams(params);
        boolean deltas = ChannelDeltas.wanted(params);
        int requested = params.containsKey("modes") ? Modes.parse(params.get("modes")) : pm.flags & Flags.MODE_ALL;
        int modes = Modes.granted(requested, ops);
        String occupancy = params.get("occupancy");
        if (occupancy != null && modes != 0) {
            checkOccupancy(name, occupancy);
        }
        if (modes == 0) {
            Attachment existing = byName.remove(name.full());
            if (existing != null) {
                existing.drop(false);
            }
            throw new AblyException(ErrorCode.OPERATION_NOT_PERMITTED, session.denial(name.base(), "subscribe"));
        }
        Attachment att = byName.get(name.full());
        if (att == null) {
            int max = session.limits().maxChannelsPerConnection();
            if (byName.size() >= max) {
                throw new AblyException(
                        ErrorCode.CHANNEL_LIMIT_EXCEEDED,
                        "Maximum number of channels per connection (" + max + ") exceeded");
            }
            att = new Attachment(session, name);
            byName.put(name.full(), att);
        }
        att.requestedModes = requested;
        att.modes = modes;
        att.params = params;
        att.occupancy = occupancy;
        att.deltas = deltas;
        new AttachProcedure(session, att, pm.channelSerial, pm.hasFlag(Flags.ATTACH_RESUME)).start();
    }

    /**
     * The {@code occupancy} param (docs/protocol.md §6.4): {@code metrics} or {@code metrics.<category>} (else 40030),
     * and only with the channel-metadata capability on the channel (else 40160).
     */
    private void checkOccupancy(ChannelName name, String occupancy) {
        if (!OccupancyMetrics.validParam(occupancy)) {
            throw new AblyException(
                    ErrorCode.INVALID_CHANNEL_PARAMETER,
                    "Invalid occupancy param '" + occupancy + "': expected metrics or metrics.<category>");
        }
        if (!session.auth().capability().allows(name.base(), Operations.CHANNEL_METADATA)) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED, session.denial(name.base(), Operations.CHANNEL_METADATA));
        }
    }

    /** The client's DETACH: always answered with DETACHED; its members on the channel leave. */
    void detach(ProtocolMessage pm) {
        String channel = pm.channel;
        Attachment att = channel == null ? null : byName.remove(channel);
        if (att != null) {
            att.drop(true);
        }
        ProtocolMessage detached = new ProtocolMessage(Action.DETACHED);
        detached.channel = channel;
        session.send(detached);
    }

    /**
     * A one-shot channel fault (docs/faults.md) on every attachment of its channel: DETACHED or ERROR with its error
     * (the members this connection entered leave, as on a DETACH; the SDK enters them again when it re-attaches), or
     * ATTACHED without RESUMED on an attached channel.
     */
    void injected(Fault f) {
        ErrorInfo error = Objects.requireNonNull(f.error(), "a registered fault has an error");
        for (Attachment att : new ArrayList<>(byName.values())) {
            if (!att.name.base().equals(f.channel())) {
                continue;
            }
            switch (f.kind()) {
                case CHANNEL_DETACH, CHANNEL_SUSPEND -> detachWith(att.name.full(), error);
                case CHANNEL_FAIL -> {
                    byName.remove(att.name.full());
                    att.drop(true);
                    session.sendChannelError(att.name.full(), error);
                }
                case CHANNEL_UPDATE -> att.continuityLost(error, null);
                default -> throw new IllegalArgumentException("not a one-shot channel fault: " + f.kind());
            }
        }
    }

    /** Server-initiated DETACHED with an error (RTL13): the channel's attachment, if any, is dropped. */
    private void detachWith(String channel, ErrorInfo error) {
        Attachment att = byName.remove(channel);
        if (att != null) {
            att.drop(true);
        }
        ProtocolMessage detached = ProtocolMessage.error(Action.DETACHED, error);
        detached.channel = channel;
        session.send(detached);
    }

    /** The client's SYNC: the presence set again, for an attached channel with the presence-subscribe mode. */
    void sync(ProtocolMessage pm) {
        Attachment att = pm.channel == null ? null : byName.get(pm.channel);
        if (att != null) {
            att.resync();
        }
    }

    /**
     * After new or narrowed credentials: channels the capability no longer covers are detached with 40160 (RTC8a1),
     * the others keep the modes it still grants.
     */
    void recheck() {
        for (Attachment att : new ArrayList<>(byName.values())) {
            var ops = session.auth().capability().operationsFor(att.name.base());
            int modes = Modes.granted(att.requestedModes, ops);
            if (modes == 0) {
                byName.remove(att.name.full());
                att.drop(true);
                session.sendChannelError(
                        att.name.full(),
                        ErrorCode.OPERATION_NOT_PERMITTED.info(session.denial(att.name.base(), "subscribe")));
            } else {
                boolean changed = modes != att.modes;
                att.modes = modes;
                if (att.occupancy != null
                        && !session.auth().capability().allows(att.name.base(), Operations.CHANNEL_METADATA)) {
                    att.occupancy = null;
                    changed = true;
                }
                if (changed && att.inHub) {
                    session.services.hub().touched(att.id);
                }
            }
        }
    }

    /** The transport is gone: every channel stops delivering until the client re-attaches. */
    void suspendAll() {
        for (Attachment att : byName.values()) {
            att.suspend();
        }
    }

    /** The connection's members leave every channel (the leave delay of a suspended connection ran out). */
    void membersLeave() {
        for (Attachment att : byName.values()) {
            att.leaveOwnMembers();
        }
    }

    /**
     * The session ends: every channel is dropped. As the connection's owner its members leave; after a takeover by
     * another node they moved with the connection and are only forgotten here.
     */
    void endAll(boolean owner) {
        for (Attachment att : byName.values()) {
            if (!owner) {
                att.forgetOwnMembers();
            }
            att.drop(owner);
        }
        byName.clear();
    }
}

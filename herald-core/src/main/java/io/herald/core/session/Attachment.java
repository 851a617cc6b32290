package io.herald.core.session;

import io.herald.core.annotations.AnnotationViews;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.MessageFilter;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.PublishRequest;
import io.herald.core.fault.Fault;
import io.herald.core.hub.Subscriber;
import io.herald.core.internal.Ids;
import io.herald.core.presence.PresenceRules;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Flags;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One channel of one session (SPEC RTL4, RTL5). Lives on the session's loop; the hub delivers events on it.
 *
 * <p>While an attach is being answered the attachment buffers live events; once ATTACHED is sent it delivers the
 * buffer and then live events, dropping any event at or below the watermark of what the client already has, so
 * nothing is lost or duplicated between the position read and the live stream.
 */
final class Attachment implements Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(Attachment.class);

    enum State {
        ATTACHING,
        ATTACHED,
        SUSPENDED,
        DETACHED
    }

    final Session session;
    final ChannelName name;
    final ChannelId id;
    State state = State.DETACHED;
    /** Incremented by every attach and detach; async completions of an older one are ignored. */
    int generation;

    int requestedModes;
    /** Volatile: the occupancy feed reads it from its own thread. */
    volatile int modes;
    /** The {@code occupancy} param attached with, or {@code null}; volatile for the occupancy feed. */
    volatile @org.jspecify.annotations.Nullable String occupancy;
    /** An occupancy event that arrived while attaching, sent once ATTACHED is. */
    private @org.jspecify.annotations.Nullable ProtocolMessage pendingOccupancy;

    Map<String, String> params = Map.of();
    /** Events that arrived while attaching, created by the first one (most attachments never buffer any). */
    private @Nullable ArrayDeque<ChannelEvent> buffer;

    long messageWatermark;
    long presenceWatermark;
    /** The epoch of the channel log the watermarks refer to; {@code null} before the first attach completes. */
    @Nullable
    String epoch;
    /** Members this connection entered on the channel, by clientId; made by the first (most connections enter none). */
    private @Nullable Map<String, PresenceMessage> ownMembers;

    boolean inHub;
    /** Callbacks run once this attachment has been sent the event at a position (an OBJECT publisher's ACK). */
    private java.util.@Nullable TreeMap<Long, List<Runnable>> afterSent;
    /** Delivery under an injected fault (delay queue), once one applied to this attachment; else null. */
    private @Nullable FaultedDelivery faulted;
    /** Attached with {@code delta: 'vcdiff'}: messages go as deltas against the last one sent ({@link ChannelDeltas}). */
    boolean deltas;
    /** The last message sent on this channel since the attach (a delta subscriber's base), or {@code null}. */
    @Nullable
    Message lastSent;
    /**
     * Completes when the attach in progress has read the channel's position: this connection's publishes to the
     * channel wait for it, so a message sent after ATTACH is never placed before the attach point (SPEC RTL6c).
     */
    java.util.concurrent.CompletableFuture<Void> positioned = io.herald.core.internal.Stages.done();

    Attachment(Session session, ChannelName name) {
        this.session = session;
        this.name = name;
        this.id = new ChannelId(session.appId(), name.base());
    }

    @Override
    public java.util.concurrent.Executor executor() {
        return session.loop;
    }

    @Override
    public void deliver(ChannelEvent event) {
        if (state == State.ATTACHING) {
            ArrayDeque<ChannelEvent> b = buffer;
            if (b == null) {
                b = buffer = new ArrayDeque<>();
            }
            if (b.size() >= 10_000) {
                b.removeFirst();
            }
            b.addLast(event);
        } else if (state == State.ATTACHED) {
            Fault f = session.faults().delivery(id.appId(), name.base());
            if (f == null && faulted == null) {
                send(event);
            } else {
                if (faulted == null) {
                    faulted = new FaultedDelivery(this);
                }
                faulted.deliver(event, f);
            }
        }
    }

    /**
     * ATTACHED without RESUMED while attached (RTL12): the client is told continuity was lost, with {@code error}, at
     * {@code serial} (the channel's position, else what it was last sent).
     */
    void continuityLost(ErrorInfo error, @Nullable String serial) {
        if (state != State.ATTACHED) {
            return;
        }
        ProtocolMessage attached = ProtocolMessage.of(Action.ATTACHED, name.full());
        attached.flags = modes;
        attached.error = error;
        String e = epoch;
        attached.channelSerial = serial != null || e == null
                ? serial
                : new io.herald.core.engine.ChannelSerial(e, messageWatermark).toString();
        session.send(attached);
    }

    void startBuffering() {
        buffer = null;
        pendingOccupancy = null;
        lastSent = null;
        state = State.ATTACHING;
    }

    /** Delivers what was buffered while attaching and goes live. */
    void goLive() {
        state = State.ATTACHED;
        ArrayDeque<ChannelEvent> b = buffer;
        buffer = null;
        if (b != null) {
            while (!b.isEmpty()) {
                send(b.pollFirst());
            }
        }
        releaseSent(false);
        if (pendingOccupancy != null) {
            ProtocolMessage pm = pendingOccupancy;
            pendingOccupancy = null;
            session.send(pm);
        }
    }

    @Override
    public int occupancyModes() {
        return modes;
    }

    @Override
    public @org.jspecify.annotations.Nullable String occupancyParam() {
        return occupancy;
    }

    @Override
    public void deliverOccupancy(ProtocolMessage event) {
        if (occupancy == null) {
            return;
        }
        event.channel = name.full();
        if (state == State.ATTACHED) {
            session.send(event);
        } else if (state == State.ATTACHING) {
            pendingOccupancy = event;
        }
    }

    void clearBuffer() {
        buffer = null;
    }

    boolean hasMode(int mode) {
        return (modes & mode) == mode;
    }

    /**
     * Runs {@code then} once this attachment has been sent (or has skipped) the event at {@code serial}: at once if
     * it already has, is not attached, or follows another log epoch; else when its watermark passes the position, or
     * when it stops.
     */
    void afterSent(io.herald.core.engine.ChannelSerial serial, Runnable then) {
        boolean live = state == State.ATTACHED || state == State.ATTACHING;
        if (!live || (epoch != null && !epoch.equals(serial.epoch())) || serial.seq() <= messageWatermark) {
            then.run();
            return;
        }
        java.util.TreeMap<Long, List<Runnable>> waiting = afterSent;
        if (waiting == null) {
            waiting = afterSent = new java.util.TreeMap<>();
        }
        waiting.computeIfAbsent(serial.seq(), k -> new ArrayList<>()).add(then);
    }

    private void releaseSent(boolean all) {
        java.util.TreeMap<Long, List<Runnable>> waiting = afterSent;
        if (waiting == null) {
            return;
        }
        while (!waiting.isEmpty() && (all || waiting.firstKey() <= messageWatermark)) {
            waiting.pollFirstEntry().getValue().forEach(Runnable::run);
        }
        if (afterSent != null && afterSent.isEmpty()) {
            afterSent = null;
        }
    }

    /** Sends one channel event if the client has not seen it and may receive it. */
    void send(ChannelEvent event) {
        sendOne(event);
        if (afterSent != null) {
            releaseSent(false);
        }
    }

    private void sendOne(ChannelEvent event) {
        if (epoch != null && !epoch.equals(event.serial().epoch())) {
            // the channel's log was lost and started again (e.g. the engine's data was lost): its serials start
            // over, so the client is told continuity was lost (ATTACHED without RESUMED, RTL12) and the new log's
            // events are delivered from its start
            LOG.info(
                    "channel {}: log epoch changed from {} to {}; continuity lost",
                    id,
                    epoch,
                    event.serial().epoch());
            releaseSent(true);
            epoch = event.serial().epoch();
            messageWatermark = 0;
            presenceWatermark = 0;
            lastSent = null;
            ProtocolMessage attached = ProtocolMessage.of(Action.ATTACHED, name.full());
            attached.flags = modes;
            attached.channelSerial =
                    new io.herald.core.engine.ChannelSerial(epoch, Math.max(0, event.seq() - 1)).toString();
            session.send(attached);
        }
        if (event.action() == Action.MESSAGE) {
            if (event.seq() <= messageWatermark) {
                return;
            }
            messageWatermark = event.seq();
            if (AnnotationViews.isAnnotation(event)) {
                sendAnnotation(event);
                return;
            }
            if (!hasMode(Flags.MODE_SUBSCRIBE)) {
                return;
            }
            if (!session.echo && session.connectionId.equals(event.originConnectionId())) {
                return;
            }
            MessageFilter filter = name.filter();
            if (filter == null && deltas) {
                session.deltas().send(this, event, null);
                return;
            }
            if (filter != null) {
                List<Message> messages = event.message().messages;
                List<Message> passed = new ArrayList<>();
                if (messages != null) {
                    for (Message m : messages) {
                        if (filter.matches(m)) {
                            passed.add(m);
                        }
                    }
                }
                if (passed.isEmpty()) {
                    return;
                }
                if (deltas) {
                    session.deltas()
                            .send(this, event, messages != null && passed.size() < messages.size() ? passed : null);
                    return;
                }
                if (messages != null && passed.size() < messages.size()) {
                    ProtocolMessage pm = rewrite(event, null);
                    pm.messages = passed;
                    session.out.sendRewritten(pm);
                    return;
                }
            }
            session.out.sendEvent(this, event, null);
        } else if (event.action() == Action.OBJECT) {
            // object operations share the message watermark: both kinds of event are numbered by one log
            if (event.seq() <= messageWatermark) {
                return;
            }
            messageWatermark = event.seq();
            if (hasMode(Flags.MODE_OBJECT_SUBSCRIBE) && name.filter() == null) {
                session.out.sendEvent(this, event, null);
            }
        } else if (event.action() == Action.PRESENCE) {
            if (event.seq() <= presenceWatermark) {
                return;
            }
            presenceWatermark = event.seq();
            if (hasMode(Flags.MODE_PRESENCE_SUBSCRIBE)) {
                session.out.sendEvent(this, event, null);
                return;
            }
            // SPEC RTP17a: a connection always hears about its own members
            List<PresenceMessage> own = new ArrayList<>();
            List<PresenceMessage> presence = event.message().presence;
            if (presence != null) {
                for (PresenceMessage p : presence) {
                    if (session.connectionId.equals(p.connectionId)) {
                        own.add(p);
                    }
                }
            }
            if (!own.isEmpty()) {
                session.out.sendEvent(this, event, own);
            }
        }
    }

    /**
     * An annotation event (docs/protocol.md §7.10): the annotation itself only with ANNOTATION_SUBSCRIBE, the message's
     * new summary to every subscriber (the server's message, so echo does not apply; not on filtered channels).
     */
    private void sendAnnotation(ChannelEvent event) {
        AnnotationViews.Views views = AnnotationViews.of(event);
        if (hasMode(Flags.MODE_ANNOTATION_SUBSCRIBE)) {
            session.out.sendEvent(this, views.annotation(), null);
        }
        if (hasMode(Flags.MODE_SUBSCRIBE) && name.filter() == null) {
            session.out.sendEvent(this, views.summary(), null);
        }
    }

    /** Stops delivery (DETACH, a refused or failed attach, the end of the session); own members leave if {@code leave}. */
    void drop(boolean leave) {
        generation++;
        lastSent = null;
        state = State.DETACHED;
        clearBuffer();
        releaseSent(true);
        leaveHub();
        if (leave) {
            leaveOwnMembers();
        }
    }

    /** The transport is gone: no delivery until the client re-attaches after a resume; own members stay for now. */
    void suspend() {
        generation++;
        lastSent = null;
        clearBuffer();
        state = State.SUSPENDED;
        releaseSent(true);
        leaveHub();
    }

    private void leaveHub() {
        if (inHub) {
            inHub = false;
            session.services.hub().remove(id, this);
        }
    }

    boolean hasOwnMembers() {
        return ownMembers != null && !ownMembers.isEmpty();
    }

    boolean isOwnMember(@Nullable String clientId) {
        return ownMembers != null && ownMembers.containsKey(clientId);
    }

    /** This connection's member {@code clientId} is present as {@code member} (an earlier one kept if {@code keep}). */
    void ownMemberPresent(@Nullable String clientId, PresenceMessage member, boolean keep) {
        Map<String, PresenceMessage> own = ownMembers;
        if (own == null) {
            own = ownMembers = new LinkedHashMap<>();
        }
        if (keep) {
            own.putIfAbsent(clientId, member);
        } else {
            own.put(clientId, member);
        }
    }

    void ownMemberLeft(@Nullable String clientId) {
        if (ownMembers != null) {
            ownMembers.remove(clientId);
        }
    }

    /** Forgets this connection's members without publishing their LEAVE (they moved with the connection). */
    void forgetOwnMembers() {
        ownMembers = null;
    }

    /**
     * Publishes LEAVE for the members this connection entered on the channel. The leaves are synthesized (their ids
     * do not start with the connectionId, SPEC RTP2b1) so clients order them by timestamp after the member's last
     * event.
     */
    void leaveOwnMembers() {
        Map<String, PresenceMessage> own = ownMembers;
        if (own == null || own.isEmpty()) {
            return;
        }
        List<PresenceMessage> members = new ArrayList<>(own.values());
        ownMembers = null;
        List<PresenceMessage> leaves = PresenceRules.synthesizedLeaves(members, session.now());
        ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, name.base());
        pm.presence = leaves;
        pm.connectionId = session.connectionId;
        pm.id = leaves.get(0).id;
        pm.timestamp = session.now();
        session.services
                .engine()
                .broker()
                .publish(
                        new PublishRequest(id, pm, session.services.channels().retention(session.appId(), name), false))
                .whenComplete((o, t) -> {
                    if (t != null) {
                        LOG.warn(
                                "connection {}: presence leave on {} failed: {}",
                                session.connectionId,
                                id,
                                t.toString());
                    }
                });
    }

    /** The client asks for the presence set again (SPEC RTP19): a complete SYNC, if it is attached to presence. */
    void resync() {
        if (state != State.ATTACHED || !hasMode(Flags.MODE_PRESENCE_SUBSCRIBE)) {
            return;
        }
        int asked = generation;
        session.services
                .engine()
                .presence()
                .members(id)
                .whenComplete((snapshot, failure) -> session.loop.run(() -> {
                    if (failure != null || generation != asked || !session.isConnected()) {
                        return;
                    }
                    List<ProtocolMessage> pages = PresenceRules.syncPages(name.full(), snapshot.members());
                    if (pages.isEmpty()) {
                        ProtocolMessage empty = ProtocolMessage.of(Action.SYNC, name.full());
                        empty.channelSerial = Ids.alphanumeric(10) + ":";
                        empty.presence = List.of();
                        pages = List.of(empty);
                    }
                    pages.forEach(session::send);
                }));
    }

    /** The ProtocolMessage to send for an event to this attachment (own channel name, optionally fewer presence). */
    ProtocolMessage rewrite(ChannelEvent event, @Nullable List<PresenceMessage> presence) {
        ProtocolMessage src = event.message();
        ProtocolMessage pm = new ProtocolMessage(src.action);
        pm.channel = name.full();
        pm.channelSerial = src.channelSerial;
        pm.id = src.id;
        pm.connectionId = src.connectionId;
        pm.timestamp = src.timestamp;
        pm.messages = src.messages;
        pm.presence = presence != null ? presence : src.presence;
        pm.annotations = src.annotations;
        pm.state = src.state;
        return pm;
    }
}

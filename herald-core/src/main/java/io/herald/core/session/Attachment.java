package io.herald.core.session;

import io.herald.core.channel.ChannelName;
import io.herald.core.engine.ChannelEvent;
import io.herald.core.engine.ChannelId;
import io.herald.core.hub.Subscriber;
import io.herald.protocol.Action;
import io.herald.protocol.Flags;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One channel of one session (SPEC RTL4, RTL5). Lives on the session's loop; the hub delivers events on it.
 *
 * <p>While an attach is being answered the attachment buffers live events; once ATTACHED is sent it delivers the
 * buffer and then live events, dropping any event at or below the watermark of what the client already has, so
 * nothing is lost or duplicated between the position read and the live stream.
 */
final class Attachment implements Subscriber {
    enum State { ATTACHING, ATTACHED, SUSPENDED, DETACHED }

    final Session session;
    final ChannelName name;
    final ChannelId id;
    State state = State.DETACHED;
    /** Incremented by every attach and detach; async completions of an older one are ignored. */
    int generation;
    int requestedModes;
    int modes;
    Map<String, String> params = Map.of();
    private final ArrayDeque<ChannelEvent> buffer = new ArrayDeque<>();
    long messageWatermark;
    long presenceWatermark;
    /** The epoch of the channel log the watermarks refer to; {@code null} before the first attach completes. */
    String epoch;
    /** Members this connection entered on the channel, by clientId. */
    final Map<String, PresenceMessage> ownMembers = new LinkedHashMap<>();
    boolean inHub;
    /**
     * Completes when the attach in progress has read the channel's position: this connection's publishes to the
     * channel wait for it, so a message sent after ATTACH is never placed before the attach point (SPEC RTL6c).
     */
    java.util.concurrent.CompletableFuture<Void> positioned = java.util.concurrent.CompletableFuture.completedFuture(null);

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
            if (buffer.size() >= 10_000) {
                buffer.removeFirst();
            }
            buffer.addLast(event);
        } else if (state == State.ATTACHED) {
            send(event);
        }
    }

    void startBuffering() {
        buffer.clear();
        state = State.ATTACHING;
    }

    /** Delivers what was buffered while attaching and goes live. */
    void goLive() {
        state = State.ATTACHED;
        while (!buffer.isEmpty()) {
            send(buffer.pollFirst());
        }
    }

    void clearBuffer() {
        buffer.clear();
    }

    boolean hasMode(int mode) {
        return (modes & mode) == mode;
    }

    /** Sends one channel event if the client has not seen it and may receive it. */
    void send(ChannelEvent event) {
        if (epoch != null && !epoch.equals(event.serial().epoch())) {
            // the channel's log was lost and started again (e.g. the engine's data was lost): its serials start
            // over, so the client is told continuity was lost (ATTACHED without RESUMED, RTL12) and the new log's
            // events are delivered from its start
            org.slf4j.LoggerFactory.getLogger(Attachment.class).info(
                    "channel {}: log epoch changed from {} to {}; continuity lost", id, epoch, event.serial().epoch());
            epoch = event.serial().epoch();
            messageWatermark = 0;
            presenceWatermark = 0;
            ProtocolMessage attached = ProtocolMessage.of(Action.ATTACHED, name.full());
            attached.flags = modes;
            attached.channelSerial = new io.herald.core.engine.ChannelSerial(epoch, Math.max(0, event.seq() - 1))
                    .toString();
            session.send(attached);
        }
        if (event.action() == Action.MESSAGE) {
            if (event.seq() <= messageWatermark) {
                return;
            }
            messageWatermark = event.seq();
            if (!hasMode(Flags.MODE_SUBSCRIBE)) {
                return;
            }
            if (!session.echo && session.connectionId.equals(event.originConnectionId())) {
                return;
            }
            if (name.filter() != null) {
                List<io.herald.protocol.Message> passed = new ArrayList<>();
                for (io.herald.protocol.Message m : event.message().messages) {
                    if (name.filter().matches(m)) {
                        passed.add(m);
                    }
                }
                if (passed.isEmpty()) {
                    return;
                }
                if (passed.size() < event.message().messages.size()) {
                    ProtocolMessage pm = rewrite(event, null);
                    pm.messages = passed;
                    session.sendRewritten(pm);
                    return;
                }
            }
            session.sendEvent(this, event, null);
        } else if (event.action() == Action.PRESENCE) {
            if (event.seq() <= presenceWatermark) {
                return;
            }
            presenceWatermark = event.seq();
            if (hasMode(Flags.MODE_PRESENCE_SUBSCRIBE)) {
                session.sendEvent(this, event, null);
                return;
            }
            // SPEC RTP17a: a connection always hears about its own members
            List<PresenceMessage> own = new ArrayList<>();
            for (PresenceMessage p : event.message().presence) {
                if (session.connectionId.equals(p.connectionId)) {
                    own.add(p);
                }
            }
            if (!own.isEmpty()) {
                session.sendEvent(this, event, own);
            }
        }
    }

    /** The ProtocolMessage to send for an event to this attachment (own channel name, optionally fewer presence). */
    ProtocolMessage rewrite(ChannelEvent event, List<PresenceMessage> presence) {
        ProtocolMessage src = event.message();
        ProtocolMessage pm = new ProtocolMessage(src.action);
        pm.channel = name.full();
        pm.channelSerial = src.channelSerial;
        pm.id = src.id;
        pm.connectionId = src.connectionId;
        pm.timestamp = src.timestamp;
        pm.messages = src.messages;
        pm.presence = presence != null ? presence : src.presence;
        return pm;
    }
}

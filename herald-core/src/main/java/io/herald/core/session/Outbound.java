package io.herald.core.session;

import io.herald.core.engine.ChannelEvent;
import io.herald.core.fault.Faults;
import io.herald.core.observe.AppStats;
import io.herald.core.observe.Observer;
import io.herald.core.transport.Loop;
import io.herald.core.transport.Transport;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Format;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A session's send path: the transport it is bound to now (none while it is suspended), frames encoded in that
 * transport's format, and when the last frame went out (what the heartbeats measure idleness by). Frames for a session
 * without a transport are dropped: a client that resumes gets what it missed through its re-ATTACH. How much a slow
 * client may have queued is accounted by the transport itself ({@link Transport#send}), which closes when it is too
 * much. Confined to the session's loop.
 */
final class Outbound {
    private final Clock clock;
    private final Observer observer;
    private @Nullable Transport transport;
    /** The format of the last bound transport, kept while suspended (the observer names connections by it). */
    private @Nullable Format format;

    private long lastSentAt;
    private @Nullable AppStats stats;
    private @Nullable String appId;
    private @Nullable Latency latency;

    Outbound(Clock clock, Observer observer) {
        this.clock = clock;
        this.observer = observer;
    }

    /** Sends on {@code t} from now on; a different transport bound before is closed. */
    void bind(Transport t) {
        Transport old = transport;
        if (old != null && old != t) {
            transport = null;
            old.close();
        }
        transport = t;
        format = t.format();
    }

    /** Stops sending (the transport is gone or going); returns the transport that was bound, not closed. */
    @Nullable
    Transport unbind() {
        Transport t = transport;
        transport = null;
        return t;
    }

    boolean isBoundTo(Transport t) {
        return transport == t;
    }

    @Nullable
    Transport transport() {
        return transport;
    }

    @Nullable
    Format format() {
        return format;
    }

    /** When the last frame was sent (ms), 0 before the first. */
    long lastSentAt() {
        return lastSentAt;
    }

    void send(ProtocolMessage pm) {
        Transport t = transport;
        if (t == null || format == null) {
            return;
        }
        emit(t, ProtocolCodec.of(format).encode(pm));
        lastSentAt = clock.millis();
    }

    /**
     * One channel event for an attachment: the event's shared encoding when the attachment sees it as it is, else a
     * copy under the attachment's channel name, with only {@code onlyThese} presence messages when given.
     */
    void sendEvent(Attachment att, ChannelEvent event, @Nullable List<PresenceMessage> onlyThese) {
        Transport t = transport;
        if (t == null || format == null) {
            return;
        }
        if (onlyThese == null && att.name.full().equals(att.name.base())) {
            emit(t, event.encoded(format));
        } else {
            emit(t, ProtocolCodec.of(format).encode(att.rewrite(event, onlyThese)));
        }
        lastSentAt = clock.millis();
        observer.delivered(1);
        AppStats s = stats;
        if (s != null && appId != null) {
            if (onlyThese == null) {
                s.messages(
                        appId, false, false, event.action() == Action.PRESENCE, event.itemCount(), event.dataBytes());
            } else {
                ProtocolMessage own = ProtocolMessage.of(Action.PRESENCE, "");
                own.presence = onlyThese;
                s.messages(appId, false, false, true, onlyThese.size(), AppStats.dataBytes(own));
            }
        }
    }

    /** Frames wait while an injected latency fault ({@link Faults#latencyMillis}) targets this connection. */
    void injectLatency(Faults faults, Loop loop, String appId, String connectionId, @Nullable String clientId) {
        this.latency = new Latency(faults, loop, appId, connectionId, clientId);
    }

    /** Sends a frame now, or after the injected latency (behind any frame still waiting). */
    private void emit(Transport t, byte[] frame) {
        Latency l = latency;
        if (l == null || !l.delays(t, frame)) {
            t.send(frame);
        }
    }

    /** Counts the channel events this connection receives in the app's usage statistics. */
    void countInto(AppStats stats, String appId) {
        this.stats = stats;
        this.appId = appId;
    }

    /** A channel event's frame shared by several subscribers, in this transport's format ({@link ChannelDeltas}). */
    void sendShared(java.util.function.Function<Format, byte[]> frame) {
        Transport t = transport;
        Format f = format;
        if (t == null || f == null) {
            return;
        }
        emit(t, frame.apply(f));
        lastSentAt = clock.millis();
        observer.delivered(1);
    }

    /** A channel event rewritten for one attachment (fewer messages or presence, another channel name). */
    void sendRewritten(ProtocolMessage pm) {
        send(pm);
        observer.delivered(1);
        AppStats s = stats;
        if (s != null && appId != null) {
            int n = pm.messages != null ? pm.messages.size() : 0;
            s.messages(appId, false, false, false, n, AppStats.dataBytes(pm));
        }
    }

    void sendChannelError(String channel, ErrorInfo error) {
        ProtocolMessage pm = ProtocolMessage.of(Action.ERROR, channel);
        pm.error = error;
        send(pm);
    }

    /** A transport-level liveness probe, when a transport is bound. */
    void ping() {
        Transport t = transport;
        if (t != null) {
            t.ping();
        }
    }
}

package io.herald.core.session;

import io.herald.core.config.Limits;
import io.herald.core.internal.TokenBucket;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.ProtocolMessage;
import org.jspecify.annotations.Nullable;

/**
 * A connection's inbound limits, each a {@link TokenBucket}: messages (MESSAGE and PRESENCE frames count their
 * messages, not frames: maxInboundRate with inboundBurst, at most maxMessagesPerProtocolMessage in one frame) and
 * control frames (ATTACH, DETACH, SYNC, AUTH, HEARTBEAT: maxControlRate with controlBurst). Refusals are non-fatal
 * (42911, 42910); a flood that goes on is answered with a disconnect (42921, 42920). Used on the session's loop only.
 */
final class InboundLimits {
    /** What to do with an inbound frame. */
    enum Verdict {
        ADMIT,
        REFUSE,
        DISCONNECT
    }

    private final Limits limits;
    /**
     * Created full by the first frame they count: a bucket nothing has taken from is full whenever it is first asked,
     * so this admits exactly what a bucket made with the connection would, and an idle connection holds none.
     */
    private @Nullable TokenBucket messages;

    private @Nullable TokenBucket control;
    private int messageRefusals;
    private int controlRefusals;

    InboundLimits(Limits limits) {
        this.limits = limits;
    }

    /** Messages (presence events, annotations, object messages) a frame carries. */
    static int count(ProtocolMessage pm) {
        if (pm.annotations != null && pm.annotations.isArray() && !pm.annotations.isEmpty()) {
            return pm.annotations.size();
        }
        if (pm.action == io.herald.protocol.Action.OBJECT && pm.state != null && pm.state.isArray()) {
            return Math.max(1, pm.state.size());
        }
        return pm.messages != null ? pm.messages.size() : pm.presence != null ? pm.presence.size() : 1;
    }

    /** 40009 when one frame carries more than maxMessagesPerProtocolMessage messages, else {@code null}. */
    @Nullable
    ErrorInfo tooMany(ProtocolMessage pm) {
        int n = count(pm);
        if (n <= limits.maxMessagesPerProtocolMessage()) {
            return null;
        }
        return ErrorCode.MESSAGE_TOO_LARGE.info("Too many messages in one ProtocolMessage: " + n
                + " is more than the limit of " + limits.maxMessagesPerProtocolMessage());
    }

    Verdict messages(ProtocolMessage pm, long now) {
        TokenBucket bucket = messages;
        if (bucket == null) {
            bucket = messages = new TokenBucket(
                    limits.maxInboundRate(), (long) limits.maxInboundRate() + limits.inboundBurst(), now);
        }
        if (bucket.tryTake(count(pm), now)) {
            messageRefusals = 0;
            return Verdict.ADMIT;
        }
        messageRefusals++;
        return messageRefusals > 10L * limits.maxInboundRate() ? Verdict.DISCONNECT : Verdict.REFUSE;
    }

    ErrorInfo messageRateError(boolean fatal) {
        String text = "Rate limit exceeded: more than " + limits.maxInboundRate() + " messages per second (burst "
                + limits.inboundBurst() + ") on this connection";
        return fatal
                ? ErrorCode.PUBLISH_RATE_FATAL.info(text + "; closing the connection")
                : ErrorCode.PUBLISH_RATE_EXCEEDED.info(text);
    }

    Verdict control(long now) {
        TokenBucket bucket = control;
        if (bucket == null) {
            bucket = control = new TokenBucket(
                    limits.maxControlRate(), (long) limits.maxControlRate() + limits.controlBurst(), now);
        }
        if (bucket.tryTake(1, now)) {
            controlRefusals = 0;
            return Verdict.ADMIT;
        }
        controlRefusals++;
        return controlRefusals > 10L * limits.maxControlRate() ? Verdict.DISCONNECT : Verdict.REFUSE;
    }

    ErrorInfo controlRateError(String action, boolean fatal) {
        String text = "Rate limit exceeded: more than " + limits.maxControlRate() + " ATTACH/DETACH/SYNC/AUTH/HEARTBEAT"
                + " frames per second (burst " + limits.controlBurst() + ") on this connection; " + action + " refused";
        return fatal
                ? ErrorCode.RATE_LIMIT_FATAL.info(text + "; closing the connection")
                : ErrorCode.TOO_MANY_REQUESTS.info(text);
    }
}

package io.herald.core.engine;

import io.herald.core.observe.AppStats;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import org.jspecify.annotations.Nullable;

/**
 * One entry of a channel's log as it is delivered: a MESSAGE or PRESENCE ProtocolMessage with its
 * {@code channelSerial}, the publisher's {@code connectionId}, {@code id} and {@code timestamp} filled in. Immutable
 * once created; its bytes are encoded at most once per format however many subscribers receive it.
 */
public final class ChannelEvent {
    private final ChannelId channel;
    private final ChannelSerial serial;
    private final ProtocolMessage message;
    private volatile byte @Nullable [] json;
    private volatile byte @Nullable [] msgpack;
    private volatile @Nullable Object derived;
    private volatile long dataBytes = -1;

    public ChannelEvent(ChannelId channel, ChannelSerial serial, ProtocolMessage message) {
        this.channel = channel;
        this.serial = serial;
        this.message = message;
    }

    public ChannelId channel() {
        return channel;
    }

    public ChannelSerial serial() {
        return serial;
    }

    public long seq() {
        return serial.seq();
    }

    /** The delivered ProtocolMessage. Do not mutate. */
    public ProtocolMessage message() {
        return message;
    }

    public int action() {
        return message.action;
    }

    /** Connection that published the event, or {@code null} (REST, synthesized leaves). */
    public @Nullable String originConnectionId() {
        return message.connectionId;
    }

    /** The event's frame in {@code format}, encoded on first use. */
    public byte[] encoded(Format format) {
        if (format == Format.JSON) {
            byte[] b = json;
            if (b == null) {
                b = ProtocolCodec.of(Format.JSON).encode(message);
                json = b;
            }
            return b;
        }
        byte[] b = msgpack;
        if (b == null) {
            b = ProtocolCodec.of(Format.MSGPACK).encode(message);
            msgpack = b;
        }
        return b;
    }

    /** Messages or presence messages the event carries. */
    public int itemCount() {
        int n = 0;
        if (message.messages != null) {
            n += message.messages.size();
        }
        if (message.presence != null) {
            n += message.presence.size();
        }
        return n;
    }

    /** The size of its messages as Ably counts it in statistics ({@link AppStats#dataBytes}), computed once. */
    public long dataBytes() {
        long b = dataBytes;
        if (b < 0) {
            b = AppStats.dataBytes(message);
            dataBytes = b;
        }
        return b;
    }

    /**
     * A value made from this event once and shared by every subscriber (the frames an annotation is delivered as,
     * each encoded once per format); {@code make} must always make the same kind of value for an event.
     */
    @SuppressWarnings("unchecked") // the one slot only ever holds what make returns, see above
    public <T> T derived(java.util.function.Function<ChannelEvent, T> make) {
        Object d = derived;
        if (d == null) {
            T made = make.apply(this);
            derived = made;
            return made;
        }
        return (T) d;
    }

    @Override
    public String toString() {
        return "ChannelEvent{" + channel + " " + serial + " " + message + "}";
    }
}

package io.herald.server.netty;

import io.herald.core.transport.Transport;
import io.herald.protocol.Format;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * A WebSocket as the core's {@link Transport}: JSON frames as text, msgpack frames as binary (docs/protocol.md
 * §1.3). Writes are flushed at the end of the loop's batch (a {@link FlushBatcher} sits in the pipeline). When
 * more than {@code maxQueuedBytes} wait to be written the client is too slow: the socket is closed and the core
 * told, instead of the queue growing.
 *
 * <p>Frames go out already framed: the core hands every subscriber of an event the same encoded {@code byte[]}
 * (docs/architecture.md §5, one encode per format), and a server's frames are unmasked (RFC 6455 §5.1), so the whole
 * WebSocket frame, header and payload, is the same for all of them. Each event loop keeps the last frame it built in
 * a pooled direct buffer; the next subscriber on that loop gets a retained duplicate of it instead of its own wrapper,
 * frame object and copy through the frame encoder (which lets plain buffers through). Extensions are not negotiated
 * (no permessage-deflate), so the bytes need no per-connection transformation.
 */
// Netty reports a failed write or close through the pipeline (exceptionCaught, channelInactive); nothing waits on
// the ChannelFuture of a close(), a write with the void promise or a pong
@SuppressWarnings("FutureReturnValueIgnored")
final class NettyWebSocketTransport implements Transport, OutboundBudget.Member {
    private final Channel channel;
    private final Format format;
    private final long maxQueuedBytes;
    private final Consumer<String> onSlowConsumer;
    private final @Nullable OutboundBudget budget;
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    private volatile boolean open = true;

    NettyWebSocketTransport(Channel channel, Format format, long maxQueuedBytes, Consumer<String> onSlowConsumer) {
        this(channel, format, maxQueuedBytes, onSlowConsumer, null);
    }

    /** With {@code budget} (may be {@code null}) bounding what all connections queue together. */
    NettyWebSocketTransport(
            Channel channel,
            Format format,
            long maxQueuedBytes,
            Consumer<String> onSlowConsumer,
            @Nullable OutboundBudget budget) {
        this.channel = channel;
        this.format = format;
        this.maxQueuedBytes = maxQueuedBytes;
        this.onSlowConsumer = onSlowConsumer;
        this.budget = budget;
        if (budget != null) {
            // left in markClosed(), which the WebSocketHandler calls when the channel goes (no close listener each)
            budget.add(this);
        }
    }

    /** Bytes written to this socket and not yet sent. */
    @Override
    public long queuedBytes() {
        return OutboundBudget.pendingBytes(channel);
    }

    /** Drops the connection as a slow consumer (the node-wide outbound budget chose it). */
    @Override
    public void dropSlow(String reason) {
        if (!open) {
            return;
        }
        open = false;
        onSlowConsumer.accept(reason);
        channel.close();
    }

    @Override
    public Format format() {
        return format;
    }

    @Override
    public void send(byte[] frame) {
        if (!open || !OutboundBudget.admit(this, maxQueuedBytes, budget) || !open) {
            return;
        }
        channel.writeAndFlush(framed(frame), channel.voidPromise());
    }

    /** The last frame built on an event loop, shared by the subscribers that loop writes it to. */
    private static final class LastFrame {
        byte @Nullable [] payload;
        boolean text;

        @Nullable
        ByteBuf framed;
    }

    private static final FastThreadLocal<LastFrame> LAST = new FastThreadLocal<>() {
        @Override
        protected LastFrame initialValue() {
            return new LastFrame();
        }

        /** The loop's thread ends (shutdown): its last frame goes back to the pool. */
        @Override
        protected void onRemoval(LastFrame last) {
            if (last.framed != null) {
                last.framed.release();
                last.framed = null;
                last.payload = null;
            }
        }
    };

    private ByteBuf framed(byte[] payload) {
        boolean text = format == Format.JSON;
        if (!channel.eventLoop().inEventLoop()) {
            return frame(channel.alloc(), payload, text);
        }
        LastFrame last = LAST.get();
        if (last.payload != payload || last.text != text || last.framed == null) {
            ByteBuf old = last.framed;
            last.framed = null;
            last.payload = null;
            if (old != null) {
                old.release();
            }
            last.framed = frame(channel.alloc(), payload, text);
            last.payload = payload;
            last.text = text;
        }
        return last.framed.retainedDuplicate();
    }

    /**
     * One unfragmented, unmasked WebSocket frame (RFC 6455 §5.2): FIN and the text or binary opcode, the payload
     * length in 7, 7+16 or 7+64 bits, then the payload.
     */
    static ByteBuf frame(ByteBufAllocator alloc, byte[] payload, boolean text) {
        int n = payload.length;
        int header = n < 126 ? 2 : n <= 0xFFFF ? 4 : 10;
        ByteBuf buf = alloc.directBuffer(header + n);
        buf.writeByte(0x80 | (text ? 0x1 : 0x2));
        if (n < 126) {
            buf.writeByte(n);
        } else if (n <= 0xFFFF) {
            buf.writeByte(126);
            buf.writeShort(n);
        } else {
            buf.writeByte(127);
            buf.writeLong(n);
        }
        buf.writeBytes(payload);
        return buf;
    }

    @Override
    public void ping() {
        if (open) {
            channel.writeAndFlush(new PingWebSocketFrame(), channel.voidPromise());
        }
    }

    @Override
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    /**
     * Sends a close frame and closes the socket once the peer closes it, or after a grace period (RFC 6455 §7.1.1):
     * closing at once could reset a peer still sending (e.g. the rest of an oversized frame) before it has read our
     * last frames.
     */
    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, ""))
                    .addListener(f -> channel.eventLoop()
                            .schedule(
                                    () -> {
                                        channel.close();
                                    },
                                    CLOSE_GRACE_MILLIS,
                                    TimeUnit.MILLISECONDS));
        }
    }

    /**
     * Resets the TCP connection (SO_LINGER 0: an RST, no close frame, nothing queued sent), as a lost network does.
     * A close frame would not do for an injected drop: a client may take it as the start of a closing handshake it
     * answers at leisure; ably-java 1.5.0 (OkHttp) stops reading after it and notices nothing until its idle timeout.
     */
    @Override
    public void abort() {
        open = false;
        channel.eventLoop().execute(() -> {
            if (channel.isOpen()) {
                channel.config().setOption(ChannelOption.SO_LINGER, 0);
                channel.close();
            }
        });
    }

    @Override
    public boolean isOpen() {
        return open && channel.isActive();
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    /**
     * The channel is gone or closing: nothing more is sent, and the node-wide budget no longer counts this connection.
     *
     * @return whether this side was still open, i.e. had neither sent its close frame nor closed the socket
     */
    boolean markClosed() {
        boolean wasOpen = open;
        open = false;
        if (budget != null) {
            budget.remove(this);
        }
        return wasOpen;
    }
}

package io.herald.server.netty;

import io.herald.core.transport.Transport;
import io.herald.protocol.Format;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A WebSocket as the core's {@link Transport}: JSON frames as text, msgpack frames as binary (ably-protocol.md
 * §5.2). Writes are flushed at the end of the loop's batch (a FlushConsolidationHandler sits in the pipeline). When
 * more than {@code maxQueuedBytes} wait to be written the client is too slow: the socket is closed and the core
 * told, instead of the queue growing.
 */
final class NettyWebSocketTransport implements Transport {
    private final Channel channel;
    private final Format format;
    private final long maxQueuedBytes;
    private final Consumer<String> onSlowConsumer;
    private static final long CLOSE_GRACE_MILLIS = 2_000;
    private volatile boolean open = true;

    NettyWebSocketTransport(Channel channel, Format format, long maxQueuedBytes, Consumer<String> onSlowConsumer) {
        this.channel = channel;
        this.format = format;
        this.maxQueuedBytes = maxQueuedBytes;
        this.onSlowConsumer = onSlowConsumer;
    }

    @Override
    public Format format() {
        return format;
    }

    @Override
    public void send(byte[] frame) {
        if (!open) {
            return;
        }
        ChannelOutboundBuffer out = channel.unsafe().outboundBuffer();
        if (out != null && out.totalPendingWriteBytes() > maxQueuedBytes) {
            open = false;
            onSlowConsumer.accept("slow consumer: more than " + maxQueuedBytes + " bytes queued");
            channel.close();
            return;
        }
        var buf = Unpooled.wrappedBuffer(frame);
        channel.writeAndFlush(format == Format.JSON ? new TextWebSocketFrame(buf) : new BinaryWebSocketFrame(buf),
                channel.voidPromise());
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
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f ->
                    channel.eventLoop().schedule(() -> {
                        channel.close();
                    }, CLOSE_GRACE_MILLIS, TimeUnit.MILLISECONDS));
        }
    }

    @Override
    public boolean isOpen() {
        return open && channel.isActive();
    }

    @Override
    public String remoteAddress() {
        return String.valueOf(channel.remoteAddress());
    }

    void markClosed() {
        open = false;
    }
}

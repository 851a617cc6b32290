package io.herald.server.netty;

import io.herald.core.transport.Transport;
import io.herald.protocol.Format;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
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
    public void pauseReading() {
        channel.config().setAutoRead(false);
    }

    @Override
    public void close() {
        if (!open) {
            return;
        }
        open = false;
        if (channel.isActive()) {
            channel.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(ChannelFutureListener.CLOSE);
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

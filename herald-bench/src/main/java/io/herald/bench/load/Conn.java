package io.herald.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * One client WebSocket: the handshake, pings, and the frames of the server kind it speaks (subclasses). A connection
 * subscribes to at most one channel ({@link #sub}) and publishes to at most one ({@link #pub}). {@link #ready}
 * completes when it is connected and, if it subscribes, subscribed. Everything runs on the connection's event loop.
 */
// fire and forget: a write that fails on the socket closes it (Netty's auto-close), which channelInactive reports;
// nothing waits on the ChannelFuture of a handshake, a pong or a close
@SuppressWarnings("FutureReturnValueIgnored")
abstract class Conn extends SimpleChannelInboundHandler<Object> {
    final int index;
    final @Nullable String sub;
    final @Nullable String pub;
    final CompletableFuture<Conn> ready = new CompletableFuture<>();
    WebSocketClientHandshaker handshaker;
    /** The socket, from when it is active; null while connecting and if the connect failed. */
    @Nullable
    Channel channel;

    LoopStats stats;
    boolean closing;

    // Worker.connect sets handshaker before it connects and stats in initChannel, before any callback of this handler
    @SuppressWarnings("NullAway.Init")
    Conn(int index, @Nullable String sub, @Nullable String pub) {
        this.index = index;
        this.sub = sub;
        this.pub = pub;
    }

    /** The path and query of the WebSocket URL. */
    abstract String path();

    /** The WebSocket is open (handshake done). */
    abstract void opened();

    /** A data frame that carries no payload mark: a control frame of the protocol. */
    abstract void control(ByteBuf content, boolean text);

    /** Publishes one message due at {@code dueNanos} to {@link #pub}. Called on the loop. */
    abstract void publish(long dueNanos);

    /** The socket of a connection that is active (or was): every callback and everything after {@link #ready}. */
    final Channel channel() {
        return Objects.requireNonNull(channel, "not connected");
    }

    /** The channel this connection publishes to; only publishers are asked to publish. */
    final String pubChannel() {
        return Objects.requireNonNull(pub, "not a publisher");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        Channel ch = ctx.channel();
        channel = ch;
        handshaker.handshake(ch);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (!handshaker.isHandshakeComplete()) {
            if (msg instanceof FullHttpResponse resp) {
                try {
                    handshaker.finishHandshake(ctx.channel(), resp);
                } catch (RuntimeException e) {
                    fail("handshake: " + e.getMessage());
                    return;
                }
                opened();
            }
            return;
        }
        if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
            ByteBuf content = ((WebSocketFrame) msg).content();
            int at = Payload.find(content);
            if (at >= 0) {
                stats.delivered(Payload.due(content, at), Payload.step(content, at));
            } else {
                control(content, msg instanceof TextWebSocketFrame);
            }
        } else if (msg instanceof PingWebSocketFrame ping) {
            ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
        } else if (msg instanceof CloseWebSocketFrame) {
            ctx.close();
        }
    }

    void send(WebSocketFrame frame) {
        Channel ch = channel();
        ch.writeAndFlush(frame, ch.voidPromise());
    }

    void fail(String why) {
        if (!ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException("connection " + index + ": " + why));
        } else {
            stats.error(why);
        }
        if (channel != null) {
            channel.close();
        }
    }

    /** Closes the socket without counting it as an error. */
    void close() {
        closing = true;
        if (channel != null) {
            channel.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!ready.isDone()) {
            ready.completeExceptionally(new IllegalStateException("connection " + index + " closed while opening"));
        } else if (!closing) {
            stats.closed++;
            stats.error("connection " + index + " closed by the server");
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(cause.toString());
    }
}

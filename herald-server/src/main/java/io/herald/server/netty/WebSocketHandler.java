package io.herald.server.netty;

import io.herald.core.session.ConnectionHandler;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolDecodeException;
import io.herald.protocol.ProtocolMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Frames of one realtime connection: data frames are decoded into ProtocolMessages for the core, pings answered,
 * idle sockets pinged and dead ones closed. A frame that cannot be decoded becomes a protocol error (ERROR and
 * close), never an exception on the event loop.
 */
// Netty reports a failed write or close through the pipeline (exceptionCaught, channelInactive); nothing waits on
// the ChannelFuture of a close(), a write with the void promise or a pong
@SuppressWarnings("FutureReturnValueIgnored")
final class WebSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketHandler.class);

    private final ProtocolCodec codec;
    private final NettyWebSocketTransport transport;
    private @Nullable ConnectionHandler handler;
    private boolean closed;

    WebSocketHandler(Format format, NettyWebSocketTransport transport) {
        this.codec = ProtocolCodec.of(format);
        this.transport = transport;
    }

    void bind(ConnectionHandler h) {
        this.handler = h;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame || frame instanceof BinaryWebSocketFrame) {
            if (handler == null) {
                return;
            }
            ByteBuf content = frame.content();
            byte[] bytes = ByteBufUtil.getBytes(content);
            ProtocolMessage pm;
            try {
                pm = codec.decode(bytes);
            } catch (ProtocolDecodeException e) {
                handler.onProtocolError(e.error());
                return;
            }
            handler.onMessage(pm);
        } else if (frame instanceof PingWebSocketFrame) {
            ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
        } else if (frame instanceof CloseWebSocketFrame) {
            if (transport.markClosed()) {
                // the peer starts the closing handshake: answer it once, then close (RFC 6455 §5.5.1)
                ctx.writeAndFlush(new CloseWebSocketFrame(1000, "")).addListener(f -> ctx.close());
            } else {
                // the peer answers our close frame: the handshake is complete, and a second close frame from us would
                // be a protocol error to the peer (Chromium fails the socket: "Close received after close")
                ctx.close();
            }
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof IdleStateEvent e) {
            if (e.state() == IdleState.READER_IDLE) {
                LOG.debug("closing {}: no frames from the peer", ctx.channel().remoteAddress());
                closeWith("peer silent (dead connection)");
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        transport.markClosed();
        closeWith("connection closed");
        super.channelInactive(ctx);
    }

    /** Removed from the pipeline (the channel was closed and torn down): the transport is closed for good. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        if (!ctx.channel().isActive()) {
            transport.markClosed();
        }
        super.handlerRemoved(ctx);
    }

    private void closeWith(String reason) {
        if (!closed && handler != null) {
            closed = true;
            handler.onClosed(reason);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (handler != null
                && (cause instanceof TooLongFrameException || cause.getCause() instanceof TooLongFrameException)) {
            handler.onProtocolError(ErrorCode.MESSAGE_TOO_LARGE.info("Frame too large: " + cause.getMessage()));
        } else if (handler != null
                && cause instanceof CorruptedWebSocketFrameException c
                && c.closeStatus() != null
                && c.closeStatus().code() == 1009) {
            handler.onProtocolError(ErrorCode.MESSAGE_TOO_LARGE.info("Frame too large: " + cause.getMessage()));
        } else if (handler != null && cause instanceof CorruptedFrameException) {
            handler.onProtocolError(ErrorCode.BAD_REQUEST.info("Corrupted WebSocket frame: " + cause.getMessage()));
        } else {
            LOG.debug("websocket {} error: {}", ctx.channel().remoteAddress(), cause.toString());
            ctx.close();
        }
    }
}

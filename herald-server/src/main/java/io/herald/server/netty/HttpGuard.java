package io.herald.server.netty;

import io.herald.core.HeraldNode;
import io.herald.protocol.ErrorInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The read deadlines of one HTTP connection, against slow and idle clients (slowloris):
 * <ul>
 *   <li>head: a request head must be complete within {@code httpHeaderTimeout} of the connection being opened or of
 *   the first byte of a request on a kept-alive connection: else 408 (or, with nothing received, a plain close);</li>
 *   <li>body: the body must be complete within {@code httpBodyTimeout} of its head: else 408 and close;</li>
 *   <li>idle: a keep-alive connection with no request in progress is closed after {@code httpIdleTimeout}.</li>
 * </ul>
 * While a request is being answered no deadline runs. Two handlers share the state: {@link #raw()} before the HTTP
 * codec sees the first byte of each request, {@link #phases()} after it sees heads, ends of bodies and ends of
 * responses. A WebSocket upgrade removes both ({@link #upgraded}): the realtime connection has its own liveness
 * checks. Registers the connection with the server's {@link ConnectionLimiter}, which may close it to make room
 * while it waits for a request head.
 */
// Netty reports a failed write or close through the pipeline (exceptionCaught, channelInactive); nothing waits on
// the ChannelFuture of a close(), a write with the void promise or a pong
@SuppressWarnings("FutureReturnValueIgnored")
final class HttpGuard {
    static final String RAW = "guard-raw";
    static final String PHASES = "guard-phases";

    private enum Phase {
        FRESH,
        HEAD,
        BODY,
        BUSY,
        IDLE,
        UPGRADED,
        CLOSING
    }

    private final HeraldNode node;
    private final ServerSettings settings;
    private final ConnectionLimiter limiter;
    private final Channel channel;
    private final InetAddress address;
    private volatile Phase phase = Phase.FRESH;
    private volatile long waitingSince = System.nanoTime();
    private @Nullable ScheduledFuture<?> timer;
    private @Nullable String origin;

    HttpGuard(HeraldNode node, ServerSettings settings, ConnectionLimiter limiter, Channel channel) {
        this.node = node;
        this.settings = settings;
        this.limiter = limiter;
        this.channel = channel;
        this.address = ConnectionLimiter.addressOf(channel.remoteAddress());
    }

    Channel channel() {
        return channel;
    }

    InetAddress address() {
        return address;
    }

    /** Waiting for a request head (nothing in progress): may be closed to make room for a new connection. */
    boolean evictable() {
        Phase p = phase;
        return p == Phase.FRESH || p == Phase.HEAD || p == Phase.IDLE;
    }

    long waitingSince() {
        return waitingSince;
    }

    void evict() {
        channel.eventLoop().execute(() -> {
            if (evictable()) {
                channel.close();
            }
        });
    }

    /** After a WebSocket handshake was accepted: no HTTP deadlines any more, never evicted. */
    static void upgraded(ChannelPipeline pipeline) {
        if (pipeline.get(PHASES) instanceof Phases p) {
            HttpGuard g = p.guard();
            g.enter(Phase.UPGRADED, null);
            g.origin = null; // only a 408 answer needs it, and an upgraded connection gets none
            pipeline.remove(PHASES);
        }
        if (pipeline.get(RAW) != null) {
            pipeline.remove(RAW);
        }
    }

    ChannelInboundHandlerAdapter raw() {
        return new Raw();
    }

    ChannelDuplexHandler phases() {
        return new Phases();
    }

    private void enter(Phase p, @Nullable Duration deadline) {
        phase = p;
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
        if (deadline != null) {
            timer = channel.eventLoop().schedule(this::expired, deadline.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** The running deadline passed (entering a phase cancels the one before): acts on the phase now. */
    private void expired() {
        timer = null;
        if (!channel.isActive()) {
            return;
        }
        switch (phase) {
            case HEAD ->
                refuse("Request head not received within "
                        + settings.httpHeaderTimeout().toMillis() + " ms");
            case BODY ->
                refuse("Request body not received within "
                        + settings.httpBodyTimeout().toMillis() + " ms");
            case FRESH, IDLE -> channel.close();
            default -> {}
        }
    }

    /** 408 with an Ably error, then close. */
    private void refuse(String message) {
        enter(Phase.CLOSING, null);
        var r = node.transportError(ErrorInfo.of(40000, 408, message), origin);
        HttpReplies.send(channel.pipeline().context(PHASES), r, false, false).addListener(ChannelFutureListener.CLOSE);
    }

    private final class Raw extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            if (!limiter.admit(HttpGuard.this)) {
                ctx.close();
                return;
            }
            enter(Phase.FRESH, settings.httpHeaderTimeout());
            super.channelActive(ctx);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof ByteBuf b && b.isReadable()) {
                if (phase == Phase.IDLE) {
                    waitingSince = System.nanoTime();
                    enter(Phase.HEAD, settings.httpHeaderTimeout());
                } else if (phase == Phase.FRESH) {
                    phase = Phase.HEAD; // the deadline runs from the opening
                }
            }
            ctx.fireChannelRead(msg);
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (phase == Phase.UPGRADED && timer != null) {
                timer.cancel(false);
                timer = null;
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            if (timer != null) {
                timer.cancel(false);
                timer = null;
            }
            super.channelInactive(ctx);
        }
    }

    private final class Phases extends ChannelDuplexHandler {
        HttpGuard guard() {
            return HttpGuard.this;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
            if (msg instanceof HttpRequest req) {
                origin = req.headers().get("Origin");
                enter(Phase.BODY, settings.httpBodyTimeout());
            }
            if (msg instanceof LastHttpContent && phase == Phase.BODY) {
                enter(Phase.BUSY, null);
            }
            super.channelRead(ctx, msg);
        }

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
            if (msg instanceof LastHttpContent && phase == Phase.BUSY) {
                promise = promise.unvoid();
                promise.addListener(f -> {
                    if (f.isSuccess() && phase == Phase.BUSY && channel.isActive()) {
                        waitingSince = System.nanoTime();
                        enter(Phase.IDLE, settings.httpIdleTimeout());
                    }
                });
            }
            super.write(ctx, msg, promise);
        }
    }
}

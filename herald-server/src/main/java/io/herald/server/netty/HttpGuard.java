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
    /** When the running deadline passes ({@link System#nanoTime()}), or 0 when none runs. */
    private long deadline;
    /** The pending check, set to run at {@link #timerAt}: at or before the deadline, never cancelled per request. */
    private @Nullable ScheduledFuture<?> timer;

    private long timerAt;
    /** While a read is passed down the pipeline: phases entered then arm the timer once, after it. */
    private boolean deferArm;

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

    /**
     * Enters a phase with its deadline ({@code null}: none). The timer is not rescheduled for every phase a request
     * passes through (three schedules and three cancels per request were a measurable part of a requestToken): one
     * check is pending at or before the running deadline; when it runs early (the deadline moved on) it sets itself
     * for the new one, and a request read in one piece enters its phases with no timer work at all.
     */
    private void enter(Phase p, @Nullable Duration timeout) {
        phase = p;
        long dl = timeout == null ? 0 : System.nanoTime() + timeout.toNanos();
        deadline = timeout != null && dl == 0 ? 1 : dl; // 0 means none; nanoTime may be any long, even negative
        if (!deferArm) {
            arm();
        }
    }

    /** Makes sure a check runs by the deadline (a pending one that runs earlier will do). */
    private void arm() {
        long dl = deadline;
        if (dl == 0 || (timer != null && timerAt - dl <= 0)) {
            return;
        }
        cancelTimer();
        timerAt = dl;
        timer = channel.eventLoop().schedule(this::expired, dl - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    /** The check: acts on the phase if its deadline passed, else waits for the deadline as it is now. */
    private void expired() {
        timer = null;
        if (!channel.isActive() || deadline == 0) {
            return;
        }
        if (System.nanoTime() - deadline < 0) {
            arm();
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
            deferArm = true;
            try {
                if (msg instanceof ByteBuf b && b.isReadable()) {
                    if (phase == Phase.IDLE) {
                        waitingSince = System.nanoTime();
                        enter(Phase.HEAD, settings.httpHeaderTimeout());
                    } else if (phase == Phase.FRESH) {
                        phase = Phase.HEAD; // the deadline runs from the opening
                    }
                }
                ctx.fireChannelRead(msg);
            } finally {
                deferArm = false;
            }
            arm();
        }

        @Override
        public void handlerRemoved(ChannelHandlerContext ctx) {
            if (phase == Phase.UPGRADED) {
                cancelTimer();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelTimer();
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

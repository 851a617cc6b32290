package io.herald.server.netty;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import org.jspecify.annotations.Nullable;

/**
 * Turns a connection's flushes into one system call per batch of writes. While the connection is reading, flushes wait
 * for the end of the read (an ACK and the replies a frame causes go out together); at other times (deliveries handed
 * to the connection's event loop by other connections' publishes) the first flush queues one flush task on the loop,
 * and the writes made before it runs go out with it. After {@link #MAX_PENDING} postponed flushes the batch is flushed
 * at once, so a long read cannot hold a connection's output back. Closing, an error, and the socket turning
 * unwritable flush what is pending first.
 *
 * <p>The policy of Netty's {@code FlushConsolidationHandler} with consolidation outside reads, which this class
 * replaced: that handler submits a new task, with its own future, for every batch, which is one allocation per
 * delivery when each delivery is its connection's only write of the tick (many quiet channels). Here each connection
 * has one task object, queued at most once at a time.
 */
// disconnect and close pass the caller's promise on; the caller waits on it, not on the future they also return
@SuppressWarnings("FutureReturnValueIgnored")
final class FlushBatcher extends ChannelDuplexHandler {
    static final String NAME = "flush";

    /** Flushes postponed in a row before one goes through regardless. */
    static final int MAX_PENDING = 256;

    private int pending;
    private boolean reading;
    private boolean queued;
    private @Nullable ChannelHandlerContext ctx;
    private final Runnable task = this::flushQueued;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        flushPending(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        reading = true;
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        endRead(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        if (++pending >= MAX_PENDING) {
            flushNow(ctx);
        } else if (!reading && !queued) {
            queued = true;
            ctx.channel().eventLoop().execute(task);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        endRead(ctx);
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        endRead(ctx);
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        endRead(ctx);
        ctx.close(promise);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (!ctx.channel().isWritable()) {
            flushPending(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /** The queued task: flushes unless a read began meanwhile (its end flushes) or the batch already went. */
    private void flushQueued() {
        queued = false;
        ChannelHandlerContext c = ctx;
        if (c != null && !reading && pending > 0) {
            flushNow(c);
        }
    }

    private void endRead(ChannelHandlerContext ctx) {
        reading = false;
        flushPending(ctx);
    }

    private void flushPending(ChannelHandlerContext ctx) {
        if (pending > 0) {
            flushNow(ctx);
        }
    }

    private void flushNow(ChannelHandlerContext ctx) {
        pending = 0;
        ctx.flush();
    }
}

package io.herald.server.netty;

import io.herald.core.transport.Loop;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.FastThreadLocal;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A Netty event loop as the core's {@link Loop}. */
public final class NettyLoop implements Loop {
    private final EventLoop loop;

    /** The last one handed out on each event loop's thread (see {@link #of}). */
    private static final FastThreadLocal<NettyLoop> CURRENT = new FastThreadLocal<>();

    public NettyLoop(EventLoop loop) {
        this.loop = loop;
    }

    /**
     * {@code loop} as a {@link Loop}: on the loop's own thread one instance shared by the connections it serves (a
     * connection keeps its loop for its lifetime, and equal loops behave the same), elsewhere a new one.
     */
    public static NettyLoop of(EventLoop loop) {
        if (!loop.inEventLoop()) {
            return new NettyLoop(loop);
        }
        NettyLoop shared = CURRENT.get();
        if (shared == null || shared.loop != loop) {
            shared = new NettyLoop(loop);
            CURRENT.set(shared);
        }
        return shared;
    }

    @Override
    public boolean inLoop() {
        return loop.inEventLoop();
    }

    @Override
    public Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        ScheduledFuture<?> f = loop.schedule(task, delay, unit);
        return () -> f.cancel(false);
    }

    @Override
    public void execute(Runnable command) {
        loop.execute(command);
    }

    /** Equal for the same event loop, so the hub can group a channel's subscribers by loop. */
    @Override
    public boolean equals(Object o) {
        return o instanceof NettyLoop other && other.loop == loop;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(loop);
    }
}

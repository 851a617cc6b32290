package io.herald.server.netty;

import io.herald.core.transport.Loop;
import io.netty.channel.EventLoop;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** A Netty event loop as the core's {@link Loop}. */
public final class NettyLoop implements Loop {
    private final EventLoop loop;

    public NettyLoop(EventLoop loop) {
        this.loop = loop;
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

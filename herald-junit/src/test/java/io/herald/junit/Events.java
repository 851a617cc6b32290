package io.herald.junit;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.realtime.ChannelStateListener.ChannelStateChange;
import io.ably.lib.realtime.ConnectionStateListener.ConnectionStateChange;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Every state change of a connection or channel, recorded from before a fault is injected, so that a test waits for
 * the change it expects without missing one that came before it started waiting.
 */
final class Events<T> {
    private final List<T> seen = new ArrayList<>();

    static Events<ConnectionStateChange> of(AblyRealtime rt) {
        Events<ConnectionStateChange> e = new Events<>();
        rt.connection.on(e::add);
        return e;
    }

    static Events<ChannelStateChange> of(Channel channel) {
        Events<ChannelStateChange> e = new Events<>();
        channel.on(e::add);
        return e;
    }

    private synchronized void add(T event) {
        seen.add(event);
        notifyAll();
    }

    /** The first change matching {@code wanted}, waiting up to {@code seconds} for it. */
    synchronized T await(Predicate<T> wanted, long seconds, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            for (T e : seen) {
                if (wanted.test(e)) {
                    return e;
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("no " + what + " within " + seconds + " s; seen: " + seen);
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** As {@link #await(Predicate, long, String)}, among the changes after {@code after}. */
    synchronized T awaitAfter(T after, Predicate<T> wanted, long seconds, String what) throws InterruptedException {
        return await(e -> seen.indexOf(e) > seen.indexOf(after) && wanted.test(e), seconds, what);
    }

    synchronized List<T> all() {
        return List.copyOf(seen);
    }
}

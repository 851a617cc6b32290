package io.herald.core.testing;

import io.herald.core.transport.Loop;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A {@link Loop} driven by the test thread: tasks queue until {@link #runPending()}, timers fire when the test calls
 * {@link #advance} with the clock it shares. Deterministic: no threads, no sleeps.
 */
public final class ManualLoop implements Loop {
    private final MutableClock clock;
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final List<Timer> timers = new ArrayList<>();
    private Thread owner;

    private static final class Timer {
        final long at;
        final Runnable task;
        boolean cancelled;

        Timer(long at, Runnable task) {
            this.at = at;
            this.task = task;
        }
    }

    public ManualLoop(MutableClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized boolean inLoop() {
        return owner == Thread.currentThread();
    }

    @Override
    public synchronized void execute(Runnable command) {
        tasks.addLast(command);
    }

    @Override
    public synchronized Cancellable schedule(Runnable task, long delay, TimeUnit unit) {
        Timer t = new Timer(clock.millis() + unit.toMillis(delay), task);
        timers.add(t);
        return () -> t.cancelled = true;
    }

    /** Runs queued tasks (and tasks they queue) until none are left. */
    public void runPending() {
        while (true) {
            Runnable r;
            synchronized (this) {
                r = tasks.pollFirst();
                if (r == null) {
                    return;
                }
                owner = Thread.currentThread();
            }
            try {
                r.run();
            } finally {
                synchronized (this) {
                    owner = null;
                }
            }
        }
    }

    /** Moves the clock and fires due timers in order, running queued tasks after each. */
    public void advance(java.time.Duration d) {
        long target = clock.millis() + d.toMillis();
        runPending();
        while (true) {
            Timer next = null;
            synchronized (this) {
                for (Timer t : timers) {
                    if (!t.cancelled && t.at <= target && (next == null || t.at < next.at)) {
                        next = t;
                    }
                }
                if (next != null) {
                    timers.remove(next);
                }
            }
            if (next == null) {
                break;
            }
            if (next.at > clock.millis()) {
                clock.set(next.at);
            }
            final Timer fire = next;
            execute(fire.task);
            runPending();
        }
        clock.set(Math.max(clock.millis(), target));
        runPending();
    }
}

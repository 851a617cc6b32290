package io.herald.core.transport;

import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A single-threaded executor with timers: all state of one connection is touched only on its loop, so the session
 * needs no locks. Netty's EventLoop is adapted to this in the server.
 */
public interface Loop extends Executor {

    /** Whether the calling thread is this loop's thread. */
    boolean inLoop();

    /** Runs {@code task} on the loop after {@code delay}; the returned handle cancels it. */
    Cancellable schedule(Runnable task, long delay, TimeUnit unit);

    /** Runs {@code task} now if on the loop, otherwise queues it. */
    default void run(Runnable task) {
        if (inLoop()) {
            task.run();
        } else {
            execute(task);
        }
    }

    /** A scheduled task's handle. */
    interface Cancellable {
        Cancellable NONE = () -> {};

        void cancel();
    }
}

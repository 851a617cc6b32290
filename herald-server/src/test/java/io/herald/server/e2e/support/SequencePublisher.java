package io.herald.server.e2e.support;

import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.AblyException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes "0", "1", "2", ... to a channel over ably-java REST (key auth, straight to the server), one call after the
 * other so the order is the publish order, paced every {@code pauseMillis}, until {@link #finish} publishes "end".
 */
public final class SequencePublisher implements AutoCloseable {
    private final AblyRest rest;
    private final String channel;
    private final long pauseMillis;
    private final AtomicInteger published = new AtomicInteger();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();
    private volatile int stopAt = Integer.MAX_VALUE;
    private volatile Throwable failure;
    private final Thread thread;

    public SequencePublisher(TestServer server, String channel, long pauseMillis) {
        this.rest = AblyJava.rest(AblyJava.withKey(server, true, server.full.keyString()));
        this.channel = channel;
        this.pauseMillis = pauseMillis;
        this.thread = new Thread(this::loop, "sequence-publisher-" + channel);
        thread.setDaemon(true);
        thread.start();
    }

    private void loop() {
        try {
            while (published.get() < stopAt) {
                rest.channels.get(channel).publish("seq", Integer.toString(published.get()));
                synchronized (published) {
                    published.incrementAndGet();
                    published.notifyAll();
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(pauseMillis));
            }
            rest.channels.get(channel).publish("seq", "end");
            stopped.complete(null);
        } catch (AblyException | RuntimeException e) {
            failure = e;
            stopped.completeExceptionally(e);
            synchronized (published) {
                published.notifyAll();
            }
        }
    }

    /** Waits until at least {@code n} numbered messages have been published. */
    public void awaitPublished(int n, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (published) {
            while (published.get() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || stopped.isDone()) {
                    throw new AssertionError("only " + published.get() + " of " + n + " messages published within "
                            + timeout + (failure != null ? ": " + failure : ""));
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(published, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError(e);
                }
            }
        }
    }

    /** How many numbered messages were published so far. */
    public int published() {
        return published.get();
    }

    /** Publishes {@code more} further messages, then "end"; returns how many numbered messages there were in all. */
    public int finish(int more) {
        stopAt = published.get() + more;
        AblyJava.get(stopped, java.time.Duration.ofSeconds(30), "the publisher to finish");
        if (failure != null) {
            throw new AssertionError("publishing failed", failure);
        }
        return published.get();
    }

    @Override
    public void close() {
        stopAt = 0;
        thread.interrupt();
    }
}

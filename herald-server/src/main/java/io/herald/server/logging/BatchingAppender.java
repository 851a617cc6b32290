package io.herald.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import ch.qos.logback.core.encoder.Encoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * An appender whose lines are written by a thread of its own, in batches: a logging thread (an event loop issuing
 * tokens) only queues the event; the writer formats what has queued and writes it with one {@code write} and one
 * flush. After a write it waits up to {@code linger} before looking again, so a steady stream of lines costs one
 * wake-up and one system call per linger instead of one per line (logback's {@code AsyncAppender} hands its appender
 * one event at a time, and the console appender writes and flushes each: at 20,000 tokens a second that thread
 * alone took a third of a core). A line waits at most about {@code linger} plus the write before it.
 *
 * <p>Nothing is dropped: a full queue makes the logging thread wait, as a direct write would. {@link #stop()} writes
 * out what is queued before it returns (for {@link LogFormat#drain()} at the end of the process). A batch goes to
 * the target in one call, so on a shared {@code PrintStream} (standard error, which locks per call) another
 * appender's line never lands inside it.
 */
final class BatchingAppender extends UnsynchronizedAppenderBase<ILoggingEvent> {
    static final int QUEUE_SIZE = 8192;
    static final int MAX_BATCH = 512;
    private static final long STOP_WAIT_MILLIS = 10_000;

    private final Encoder<ILoggingEvent> encoder;
    private final Supplier<OutputStream> target;
    private final long lingerNanos;
    private final ArrayBlockingQueue<ILoggingEvent> queue = new ArrayBlockingQueue<>(QUEUE_SIZE);
    private @Nullable Thread writer;
    /** Queued by {@link #stop()}: the writer writes what came before it, then what is left, and ends. */
    private final ILoggingEvent stopMark = new LoggingEvent();

    /**
     * @param encoder formats each event (shared with other appenders: logback's encoders are used concurrently)
     * @param target  where each batch goes, looked up per batch ({@code () -> System.err} follows a replaced stream)
     * @param linger  how long the writer waits after a write before it takes the next batch
     */
    BatchingAppender(Encoder<ILoggingEvent> encoder, Supplier<OutputStream> target, long linger, TimeUnit unit) {
        this.encoder = encoder;
        this.target = target;
        this.lingerNanos = unit.toNanos(linger);
    }

    @Override
    public void start() {
        if (isStarted()) {
            return;
        }
        Thread t = new Thread(this::run, "herald-log-" + getName());
        t.setDaemon(true);
        writer = t;
        super.start();
        t.start();
    }

    @Override
    protected void append(ILoggingEvent event) {
        event.prepareForDeferredProcessing();
        if (put(event)) {
            Thread.currentThread().interrupt();
        }
    }

    /** Queues {@code event}, waiting for room however long it takes; whether the wait was interrupted. */
    private boolean put(ILoggingEvent event) {
        boolean interrupted = false;
        while (true) {
            try {
                queue.put(event);
                return interrupted;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
    }

    /** Stops taking events, then writes out every queued one (waiting up to ten seconds for the writer). */
    @Override
    public void stop() {
        Thread t = writer;
        if (!isStarted() || t == null) {
            return;
        }
        super.stop();
        boolean interrupted = put(stopMark);
        LockSupport.unpark(t);
        try {
            t.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            addWarn("the writer of " + getName() + " did not finish within " + STOP_WAIT_MILLIS + " ms");
        }
    }

    private void run() {
        List<ILoggingEvent> batch = new ArrayList<>(MAX_BATCH);
        Bytes buf = new Bytes();
        boolean stopping = false;
        while (!stopping) {
            try {
                batch.add(queue.take()); // at once when lines are queued, else the wait for the next
            } catch (InterruptedException e) {
                // not how this writer is stopped (stop() queues its mark): keep going
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            if (batch.removeIf(e -> e == stopMark)) {
                stopping = true;
                // lines a racing logger queued after the mark still go out
                queue.drainTo(batch);
            }
            boolean full = batch.size() >= MAX_BATCH;
            write(batch, buf);
            batch.clear();
            if (!stopping && !full && lingerNanos > 0) {
                // stop() unparks: the mark is then taken at once
                LockSupport.parkNanos(lingerNanos);
            }
        }
    }

    private void write(List<ILoggingEvent> batch, Bytes buf) {
        if (batch.isEmpty()) {
            return; // only the stop mark was taken
        }
        buf.reset();
        for (ILoggingEvent e : batch) {
            try {
                buf.writeBytes(encoder.encode(e));
            } catch (RuntimeException ex) {
                addError("could not format a line of " + getName(), ex);
            }
        }
        try {
            OutputStream out = target.get();
            buf.writeTo(out);
            out.flush();
        } catch (IOException | RuntimeException ex) {
            addError("could not write " + batch.size() + " lines of " + getName(), ex);
        }
        buf.trim();
    }

    /** The batch buffer; after an unusually large batch it goes back to its usual size. */
    private static final class Bytes extends ByteArrayOutputStream {
        private static final int USUAL = 64 * 1024;

        Bytes() {
            super(USUAL);
        }

        void trim() {
            if (buf.length > 4 * USUAL) {
                buf = new byte[USUAL];
            }
        }
    }
}

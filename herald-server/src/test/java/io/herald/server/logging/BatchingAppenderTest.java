package io.herald.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The audit log's writer: every line once, in each thread's order, in few writes, all of it out by stop(). */
class BatchingAppenderTest {
    private final LoggerContext ctx = new LoggerContext();

    {
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    }

    /** Counts writes and flushes; optionally holds the first write until released (to make a backlog). */
    static final class Target extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final AtomicInteger writes = new AtomicInteger();
        final CountDownLatch firstWriteStarted = new CountDownLatch(1);
        final CountDownLatch release;

        Target(boolean hold) {
            release = new CountDownLatch(hold ? 1 : 0);
        }

        @Override
        public void write(int b) {
            throw new AssertionError("a batch is written in one call, never byte by byte");
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            writes.incrementAndGet();
            firstWriteStarted.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new java.io.InterruptedIOException();
            }
            bytes.write(b, off, len);
        }

        synchronized List<String> lines() {
            String s = bytes.toString(StandardCharsets.UTF_8);
            return s.isEmpty() ? List.of() : Arrays.asList(s.split("\n"));
        }
    }

    private Logger logger(Target target, long lingerMillis) {
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%msg%n");
        enc.start();
        BatchingAppender a = new BatchingAppender(enc, () -> target, lingerMillis, TimeUnit.MILLISECONDS);
        a.setContext(ctx);
        a.setName("t");
        a.start();
        Logger log = ctx.getLogger("t");
        log.setLevel(Level.INFO);
        log.setAdditive(false);
        log.addAppender(a);
        return log;
    }

    @AfterEach
    void stop() {
        ctx.stop();
    }

    @Test
    void manyThreads_everyLineOnceInEachThreadsOrder_stopWritesOutTheRest() throws Exception {
        Target target = new Target(false);
        Logger log = logger(target, 1);
        int threads = 4;
        int each = 5_000; // 20,000 lines: more than the queue holds, so the loggers also wait for the writer
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            ts.add(new Thread(() -> {
                for (int i = 0; i < each; i++) {
                    log.info("t{} {}", id, i);
                }
            }));
        }
        ts.forEach(Thread::start);
        for (Thread t : ts) {
            t.join();
        }
        ctx.stop();

        List<String> lines = target.lines();
        assertThat(lines).hasSize(threads * each);
        int[] next = new int[threads];
        for (String line : lines) {
            String[] p = line.split(" ");
            int t = Integer.parseInt(p[0].substring(1));
            assertThat(Integer.parseInt(p[1])).as(line).isEqualTo(next[t]);
            next[t]++;
        }
        assertThat(target.writes.get()).as("writes for %d lines", lines.size()).isLessThan(threads * each / 10);
    }

    @Test
    void linesQueuedBehindASlowWrite_goOutTogether() throws Exception {
        Target target = new Target(true);
        Logger log = logger(target, 0);
        log.info("first");
        assertThat(target.firstWriteStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 100; i++) {
            log.info("line {}", i);
        }
        target.release.countDown();
        ctx.stop();

        assertThat(target.lines()).hasSize(101).startsWith("first", "line 0").endsWith("line 99");
        assertThat(target.writes.get()).isEqualTo(2);
    }

    @Test
    void afterStop_linesAreRefusedNotQueued() {
        Target target = new Target(false);
        Logger log = logger(target, 0);
        log.info("before");
        ctx.stop();
        log.info("after");

        assertThat(target.lines()).containsExactly("before");
    }

    @Test
    void aFailingTarget_isReportedAndTheWriterGoesOn() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        CountDownLatch failed = new CountDownLatch(1);
        ByteArrayOutputStream good = new ByteArrayOutputStream();
        OutputStream flaky = new OutputStream() {
            @Override
            public void write(int b) {
                throw new AssertionError("never byte by byte");
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                if (calls.incrementAndGet() == 1) {
                    failed.countDown();
                    throw new IOException("disk full");
                }
                good.write(b, off, len);
            }
        };
        PatternLayoutEncoder enc = new PatternLayoutEncoder();
        enc.setContext(ctx);
        enc.setPattern("%msg%n");
        enc.start();
        BatchingAppender a = new BatchingAppender(enc, () -> flaky, 0, TimeUnit.MILLISECONDS);
        a.setContext(ctx);
        a.setName("flaky");
        a.start();
        a.doAppend(event("lost"));
        assertThat(failed.await(10, TimeUnit.SECONDS)).isTrue();
        a.doAppend(event("kept"));
        a.stop();

        assertThat(good.toString(StandardCharsets.UTF_8)).isEqualTo("kept\n");
        assertThat(ctx.getStatusManager().getCopyOfStatusList())
                .anySatisfy(s -> assertThat(s.getMessage()).contains("could not write"));
    }

    private ILoggingEvent event(String msg) {
        return new ch.qos.logback.classic.spi.LoggingEvent("fqcn", ctx.getLogger("t2"), Level.INFO, msg, null, null);
    }
}

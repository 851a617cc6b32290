package io.herald.server.cli;

import io.herald.server.metrics.HeraldMetrics;
import io.herald.server.netty.NettyServer;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import org.slf4j.LoggerFactory;

/**
 * Start-up work that does not depend on the configuration, done on a second thread while {@code serve}'s main thread
 * reads the configuration and builds the engine and the node: the logging system's set-up, the metrics registry's
 * classes, and Netty's one-off work (native transport check, allocator arenas, pipeline classes). On two
 * or more cores the two threads overlap; each step is what the main thread would do anyway a little later, so when
 * the main thread gets there first it simply does the step itself (class initialisation is done once, whoever
 * starts it). A failure here is ignored: the main thread meets and reports it on its own path.
 */
final class StartupWarmup {
    /** Open while the warm-up thread sets up logging; null before {@link #start}. */
    private static volatile @Nullable CountDownLatch logging;

    private StartupWarmup() {}

    /** Starts the warm-up thread (a daemon: it never holds the process up). */
    static void start() {
        CountDownLatch l = new CountDownLatch(1);
        logging = l;
        Thread t = new Thread(() -> run(l), "herald-startup-warmup");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Waits until the warm-up thread has set up logging (at once when it has, or was never started). The main thread
     * calls this before its first log line: a line logged while another thread is still setting SLF4J up is held
     * back and replayed later, with a warning of SLF4J's own on standard error.
     */
    static void awaitLogging() throws InterruptedException {
        CountDownLatch l = logging;
        if (l != null) {
            l.await();
        }
    }

    @SuppressWarnings("CatchingUnchecked") // best effort by design: the main thread reports real failures
    private static void run(CountDownLatch loggingDone) {
        try {
            LoggerFactory.getILoggerFactory();
        } catch (RuntimeException | LinkageError e) {
            // the main thread does the same work on its own path and reports what fails there
        } finally {
            loggingDone.countDown();
        }
        try {
            HeraldMetrics.warmUp();
            NettyServer.warmUp();
        } catch (RuntimeException | LinkageError e) {
            // as above
        }
    }
}

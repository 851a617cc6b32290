package io.herald.server.cli;

import io.herald.server.metrics.HeraldMetrics;
import io.herald.server.netty.NettyServer;
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
    private StartupWarmup() {}

    /** Starts the warm-up thread (a daemon: it never holds the process up). */
    static void start() {
        Thread t = new Thread(StartupWarmup::run, "herald-startup-warmup");
        t.setDaemon(true);
        t.start();
    }

    @SuppressWarnings("CatchingUnchecked") // best effort by design: the main thread reports real failures
    private static void run() {
        try {
            LoggerFactory.getILoggerFactory();
            HeraldMetrics.warmUp();
            NettyServer.warmUp();
        } catch (RuntimeException | LinkageError e) {
            // the main thread does the same work on its own path and reports what fails there
        }
    }
}

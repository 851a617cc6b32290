package io.herald.server.config;

import io.herald.core.HeraldNode;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads apps, keys and capabilities without a restart: when the configuration file changes, or on
 * SIGHUP. A configuration that does not load is logged and ignored (the running one stays). Removed keys stop
 * authenticating at once and their live connections are disconnected; see {@link HeraldNode#reloadApps}.
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final Path file;
    private final Supplier<ServerConfig> loader;
    private final HeraldNode node;
    private WatchService watcher;
    private Thread thread;

    public ConfigReloader(Path file, Supplier<ServerConfig> loader, HeraldNode node) {
        this.file = file;
        this.loader = loader;
        this.node = node;
    }

    /** Watches the file (if any) and installs the SIGHUP handler. */
    public ConfigReloader start() {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), s -> reload("SIGHUP"));
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.debug("SIGHUP reload unavailable: {}", e.toString());
        }
        if (file != null) {
            Path dir = file.toAbsolutePath().getParent();
            try {
                watcher = FileSystems.getDefault().newWatchService();
                dir.register(watcher, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            } catch (IOException e) {
                LOG.warn("cannot watch {} for changes ({}); reload with SIGHUP", file, e.toString());
                return this;
            }
            thread = new Thread(this::watch, "herald-config-watch");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    private void watch() {
        Path name = file.getFileName();
        while (true) {
            WatchKey key;
            try {
                key = watcher.take();
            } catch (InterruptedException | ClosedWatchServiceException e) {
                return;
            }
            boolean ours = key.pollEvents().stream().anyMatch(ev -> name.equals(ev.context()));
            key.reset();
            if (ours) {
                reload("file change");
            }
        }
    }

    /** Loads the configuration again and applies its apps and keys. Returns whether it applied. */
    public synchronized boolean reload(String why) {
        ServerConfig cfg;
        try {
            cfg = loader.get();
        } catch (RuntimeException e) {
            LOG.error("configuration reload ({}) failed, keeping the running configuration: {}", why, e.getMessage());
            return false;
        }
        if (cfg.generatedKey()) {
            LOG.info("configuration reload ({}): no keys configured, keeping the running keys", why);
            return false;
        }
        Set<String> removed = node.reloadApps(cfg.core().apps());
        LOG.info(
                "configuration reloaded ({}): {} apps{}",
                why,
                cfg.core().apps().size(),
                removed.isEmpty() ? "" : ", removed keys " + removed);
        return true;
    }

    @Override
    public void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}

package io.herald.server.config;

import io.herald.core.HeraldNode;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads apps, keys and capabilities without a restart: when the configuration file changes, or on
 * SIGHUP. A configuration that does not load is logged and ignored (the running one stays). Removed keys stop
 * authenticating at once and their live connections are disconnected; see {@link HeraldNode#reloadApps}.
 */
public final class ConfigReloader implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ConfigReloader.class);

    private final @Nullable Path file;
    private final Supplier<ServerConfig> loader;
    private final HeraldNode node;
    private @Nullable WatchService watcher;

    /** {@code file} is the configuration file to watch, or {@code null} when there is none (SIGHUP still reloads). */
    public ConfigReloader(@Nullable Path file, Supplier<ServerConfig> loader, HeraldNode node) {
        this.file = file;
        this.loader = loader;
        this.node = node;
    }

    /** Watches the file (if any) and installs the SIGHUP handler. */
    public ConfigReloader start() {
        onSighup(() -> reload("SIGHUP"));
        if (file != null) {
            Path dir = Objects.requireNonNull(file.toAbsolutePath().getParent(), "a file's directory");
            WatchService w;
            try {
                w = FileSystems.getDefault().newWatchService();
                watcher = w;
                dir.register(w, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            } catch (IOException e) {
                LOG.warn("cannot watch {} for changes ({}); reload with SIGHUP", file, e.toString());
                return this;
            }
            Path name = file.getFileName();
            Thread thread = new Thread(() -> watch(w, name), "herald-config-watch");
            thread.setDaemon(true);
            thread.start();
        }
        return this;
    }

    /**
     * Runs {@code action} on every SIGHUP, through {@code sun.misc.Signal} (module {@code jdk.unsupported}). It is
     * reached by reflection, its {@code SignalHandler} implemented by a {@link Proxy}, so that no code here names an
     * internal API at compile time (javac's warning about one cannot be suppressed). Returns whether the handler is
     * installed: not on a JDK without {@code sun.misc.Signal} (logged as a warning), nor where the JVM keeps SIGHUP
     * for itself ({@code -Xrs}) or the platform has no SIGHUP, nor when the process started with SIGHUP ignored (as
     * under {@code nohup}; the JVM then keeps it ignored, logged as a warning).
     */
    static boolean onSighup(Runnable action) {
        Class<?> signalClass;
        Class<?> handlerClass;
        try {
            signalClass = Class.forName("sun.misc.Signal");
            handlerClass = Class.forName("sun.misc.SignalHandler");
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.warn("this JDK has no sun.misc.Signal: no reload on SIGHUP ({})", e.toString());
            return false;
        }
        Object handler = Proxy.newProxyInstance(
                ConfigReloader.class.getClassLoader(), new Class<?>[] {handlerClass}, (proxy, method, args) -> {
                    if (method.getDeclaringClass() == handlerClass) {
                        action.run(); // handle(Signal), the interface's only method
                        return null;
                    }
                    return objectMethod(proxy, method, args);
                });
        try {
            Object hup = signalClass.getConstructor(String.class).newInstance("HUP");
            Object previous =
                    signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, hup, handler);
            if (previous == handlerClass.getField("SIG_IGN").get(null)) {
                // the process started with SIGHUP ignored (nohup does that): the JVM then leaves it ignored
                LOG.warn("SIGHUP is ignored in this process (started with nohup?): no reload on SIGHUP; a "
                        + "configuration file, if there is one, is still watched for changes");
                return false;
            }
            return true;
        } catch (InvocationTargetException e) {
            // Signal refused SIGHUP: the JVM keeps it for itself (-Xrs) or the platform has none
            LOG.debug("SIGHUP reload unavailable: {}", String.valueOf(e.getCause()));
            return false;
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn("cannot install the SIGHUP handler: no reload on SIGHUP ({})", e.toString());
            return false;
        }
    }

    /** {@code equals}, {@code hashCode} and {@code toString} of the SIGHUP handler's proxy. */
    private static Object objectMethod(Object proxy, Method method, Object @Nullable [] args) {
        return switch (method.getName()) {
            case "equals" -> args != null && proxy == args[0];
            case "hashCode" -> System.identityHashCode(proxy);
            default -> "herald SIGHUP handler";
        };
    }

    private void watch(WatchService w, Path name) {
        while (true) {
            WatchKey key;
            try {
                key = w.take();
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

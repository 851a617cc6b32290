package io.herald.core.security;

import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The apps and keys this node knows. Thread-safe; apps can be added, replaced and removed at runtime (config reload,
 * sandbox provisioning) and the change applies to the next lookup.
 */
public final class KeyRegistry {
    private final ConcurrentHashMap<String, AppConfig> apps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, KeyConfig> keys = new ConcurrentHashMap<>();
    private final Limits defaults;

    public KeyRegistry(List<AppConfig> initial, Limits defaults) {
        this.defaults = defaults;
        replaceAll(initial);
    }

    /** The limits of an app: its own, or the node's. */
    public Limits limits(String appId) {
        AppConfig app = appId == null ? null : apps.get(appId);
        return app != null && app.limits() != null ? app.limits() : defaults;
    }

    /** Apps added at runtime (sandbox provisioning), which a configuration reload leaves alone. */
    private final java.util.Set<String> dynamic = ConcurrentHashMap.newKeySet();

    /** Whether the app was added at runtime (sandbox provisioning) rather than by the configuration. */
    public boolean isDynamic(String appId) {
        return dynamic.contains(appId);
    }

    /** Adds or replaces an app at runtime (sandbox provisioning); a reload of the configuration keeps it. */
    public synchronized void putDynamic(AppConfig app) {
        put(app);
        dynamic.add(app.appId());
    }

    /**
     * Replaces the apps that come from the configuration (reload); apps added at runtime stay. Returns the keys that
     * no longer exist.
     */
    public synchronized java.util.Set<String> replaceConfigured(List<AppConfig> configured) {
        java.util.Set<String> before = new java.util.HashSet<>(keys.keySet());
        java.util.Set<String> keep = new java.util.HashSet<>();
        for (AppConfig a : configured) {
            keep.add(a.appId());
        }
        for (String appId : new java.util.ArrayList<>(apps.keySet())) {
            if (!keep.contains(appId) && !dynamic.contains(appId)) {
                remove(appId);
            }
        }
        for (AppConfig a : configured) {
            dynamic.remove(a.appId());
            put(a);
        }
        before.removeAll(keys.keySet());
        return before;
    }

    /** Adds or replaces an app and its keys. */
    public synchronized void put(AppConfig app) {
        AppConfig old = apps.put(app.appId(), app);
        if (old != null) {
            old.keys().forEach(k -> keys.remove(k.keyName()));
        }
        for (KeyConfig k : app.keys()) {
            keys.put(k.keyName(), k);
        }
    }

    /** Removes an app and its keys; returns whether it existed. */
    public synchronized boolean remove(String appId) {
        AppConfig old = apps.remove(appId);
        dynamic.remove(appId);
        if (old == null) {
            return false;
        }
        old.keys().forEach(k -> keys.remove(k.keyName()));
        return true;
    }

    /** Replaces every app (config reload). */
    public synchronized void replaceAll(List<AppConfig> all) {
        apps.clear();
        keys.clear();
        for (AppConfig a : all) {
            put(a);
        }
    }

    public @Nullable AppConfig app(String appId) {
        return apps.get(appId);
    }

    public @Nullable KeyConfig key(String keyName) {
        return keys.get(keyName);
    }

    public Collection<AppConfig> apps() {
        return List.copyOf(apps.values());
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}

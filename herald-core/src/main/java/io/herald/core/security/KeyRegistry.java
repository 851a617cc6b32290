package io.herald.core.security;

import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The apps and keys this node knows. Thread-safe; apps can be added, replaced and removed at runtime (config reload,
 * sandbox provisioning) and the change applies to the next lookup.
 */
public final class KeyRegistry {
    private final ConcurrentHashMap<String, AppConfig> apps = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, KeyConfig> keys = new ConcurrentHashMap<>();

    public KeyRegistry(List<AppConfig> initial) {
        replaceAll(initial);
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

    public AppConfig app(String appId) {
        return apps.get(appId);
    }

    public KeyConfig key(String keyName) {
        return keys.get(keyName);
    }

    public Collection<AppConfig> apps() {
        return List.copyOf(apps.values());
    }

    public boolean isEmpty() {
        return keys.isEmpty();
    }
}

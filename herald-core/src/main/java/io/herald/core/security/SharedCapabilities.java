package io.herald.core.security;

import io.herald.auth.Capability;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Equal token capabilities as one shared instance. Every verified token carries its own parsed {@link Capability}
 * (a few hundred bytes of maps, patterns and the canonical text), and an authenticated connection keeps it for its
 * lifetime; most tokens of an app ask for the same few capabilities (often the key's own), so connections share
 * them instead. Capabilities are immutable and equal exactly when their canonical forms are, so the shared instance
 * behaves as the one it replaces. At most {@link #MAX} distinct capabilities are kept (past that, a new one is used
 * as it is), so tokens with ever different capabilities cannot grow it without bound.
 */
final class SharedCapabilities {
    static final int MAX = 1024;

    private final ConcurrentHashMap<String, Capability> byCanonical = new ConcurrentHashMap<>();

    /** {@code keys} itself when equal (the common case), else the kept instance equal to {@code c}, else {@code c}. */
    Capability share(Capability c, Capability keys) {
        if (c.equals(keys)) {
            return keys;
        }
        Capability kept = byCanonical.get(c.canonical());
        if (kept != null) {
            return kept;
        }
        if (byCanonical.size() >= MAX) {
            return c;
        }
        kept = byCanonical.putIfAbsent(c.canonical(), c);
        return kept != null ? kept : c;
    }

    int size() {
        return byCanonical.size();
    }
}

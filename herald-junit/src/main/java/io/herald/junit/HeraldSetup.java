package io.herald.junit;

import io.herald.auth.Capability;
import java.util.List;
import java.util.Objects;

/**
 * What an in-process server is started with: its apps (each with keys and channel namespaces), whether the sandbox
 * provisioning API is on, and how long the server lives. Two extensions with equal setups in the same scope share
 * one server. Built with {@link HeraldExtension#builder()} or read from {@link Herald}.
 *
 * @param apps    at least one app; the first is the default of {@link HeraldInstance#key()}
 * @param sandbox the test-only provisioning API ({@code POST /apps} and friends) is served
 * @param scope   one server per test class, or one for the whole run
 */
public record HeraldSetup(List<App> apps, boolean sandbox, Herald.Scope scope) {

    /** The full-access capability given to a key that names none. */
    public static final String ALL = "{\"*\":[\"*\"]}";

    public HeraldSetup {
        apps = List.copyOf(apps);
        Objects.requireNonNull(scope, "scope");
        if (apps.isEmpty()) {
            throw new IllegalArgumentException("a Herald setup needs at least one app");
        }
        if (apps.stream().map(App::id).distinct().count() != apps.size()) {
            throw new IllegalArgumentException("app ids must be distinct: " + apps);
        }
    }

    /**
     * An app.
     *
     * @param id         the configured app id; {@link HeraldInstance#reset()} moves to a fresh one derived from it
     * @param keys       at least one key
     * @param namespaces channel namespaces ({@code <id>:...} channels) with their rules
     */
    public record App(String id, List<Key> keys, List<Namespace> namespaces) {
        public App {
            checkId(id, "app id");
            keys = List.copyOf(keys);
            namespaces = List.copyOf(namespaces);
            if (keys.isEmpty()) {
                throw new IllegalArgumentException("app " + id + " needs at least one key");
            }
            if (keys.stream().map(Key::name).distinct().count() != keys.size()) {
                throw new IllegalArgumentException("key names of app " + id + " must be distinct: " + keys);
            }
        }
    }

    /**
     * An API key; its secret is generated afresh for every server.
     *
     * @param name            the key id, the part between {@code .} and {@code :}
     * @param capability      the capability as Ably's JSON, e.g. {@code {"chat:*":["subscribe"]}}
     * @param revocableTokens tokens of this key can be revoked
     */
    public record Key(String name, String capability, boolean revocableTokens) {
        public Key {
            checkId(name, "key name");
            Capability.parse(capability);
        }
    }

    /**
     * A channel namespace.
     *
     * @param id              the namespace, the part of a channel name before {@code :}
     * @param persisted       history is kept for the persisted retention instead of the default
     * @param mutableMessages messages may be updated, deleted, appended to and annotated
     */
    public record Namespace(String id, boolean persisted, boolean mutableMessages) {
        public Namespace {
            checkId(id, "namespace id");
        }
    }

    private static void checkId(String id, String what) {
        Objects.requireNonNull(id, what);
        if (id.isEmpty() || !id.matches("[A-Za-z0-9_-]+")) {
            throw new IllegalArgumentException(what + " must be non-empty letters, digits, '_' or '-', got " + id);
        }
    }
}

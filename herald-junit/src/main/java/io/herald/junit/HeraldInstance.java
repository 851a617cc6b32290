package io.herald.junit;

import io.herald.auth.ApiKey;
import io.herald.server.HeraldServer;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The in-process Herald server a test was given: where it listens and the API keys it accepts. Inject it as a
 * parameter of a test constructor, lifecycle method or test method of a class using {@link Herald} or
 * {@link HeraldExtension}.
 *
 * <p>Keys are generated afresh (random secrets) for every server. {@link #reset()} gives the apps fresh ids and keys,
 * so that the channels used so far are out of reach: ask for keys and client options after a reset, not before.
 */
public final class HeraldInstance {
    private final RunningHerald running;

    HeraldInstance(RunningHerald running) {
        this.running = running;
    }

    /** The host the server listens on, {@code 127.0.0.1}. */
    public String host() {
        return running.host();
    }

    /** The port the server listens on (HTTP and WebSocket, no TLS). */
    public int port() {
        return running.port();
    }

    /** {@code http://127.0.0.1:<port>}: the base of the REST API. */
    public URI restUri() {
        return URI.create("http://" + host() + ":" + port());
    }

    /** {@code ws://127.0.0.1:<port>}: the realtime (WebSocket) endpoint. */
    public URI webSocketUri() {
        return URI.create("ws://" + host() + ":" + port());
    }

    /** The current id of the first app (it changes on {@link #reset()}). */
    public String appId() {
        return key().appId();
    }

    /** The current id of the app configured as {@code configuredAppId}. */
    public String appId(String configuredAppId) {
        return appKeys(configuredAppId).values().iterator().next().appId();
    }

    /** The first key of the first app: full access unless the setup said otherwise. */
    public ApiKey key() {
        HeraldSetup.App first = running.setup().apps().get(0);
        return key(first.id(), first.keys().get(0).name());
    }

    /** The key named {@code keyName} (the key id) of the first app. */
    public ApiKey key(String keyName) {
        return key(running.setup().apps().get(0).id(), keyName);
    }

    /** The key named {@code keyName} of the app configured as {@code configuredAppId}. */
    public ApiKey key(String configuredAppId, String keyName) {
        ApiKey key = appKeys(configuredAppId).get(keyName);
        if (key == null) {
            throw new IllegalArgumentException("app " + configuredAppId + " has no key " + keyName + "; it has "
                    + appKeys(configuredAppId).keySet());
        }
        return key;
    }

    /** Every key of every app, in the order of the setup. */
    public List<ApiKey> keys() {
        List<ApiKey> all = new ArrayList<>();
        Map<String, Map<String, ApiKey>> current = running.keys();
        for (HeraldSetup.App app : running.setup().apps()) {
            Map<String, ApiKey> appKeys = current.getOrDefault(app.id(), Map.of());
            for (HeraldSetup.Key k : app.keys()) {
                ApiKey key = appKeys.get(k.name());
                if (key != null) {
                    all.add(key);
                }
            }
        }
        return List.copyOf(all);
    }

    /**
     * Clears the channel state tests see: every app moves to a fresh id with fresh keys, on the same port, at once
     * (nothing restarts). Clients made before are disconnected and their keys and tokens refused; make new ones from
     * {@link #key()} or {@link #ably()} afterwards. With {@link Herald.Scope#RUN}, this affects every class sharing the
     * server.
     */
    public void reset() {
        running.reset();
    }

    /** Ready {@code io.ably.lib.types.ClientOptions} for ably-java (which must then be on the classpath). */
    public HeraldAbly ably() {
        return new HeraldAbly(this);
    }

    /**
     * Fault injection for the first app: drop connections, fail resumes, expire tokens, fail channels, lose messages
     * (docs/faults.md). Every fault is cleared after each test.
     */
    public HeraldFaults faults() {
        return faults(running.setup().apps().get(0).id());
    }

    /** Fault injection for the app configured as {@code configuredAppId}. */
    public HeraldFaults faults(String configuredAppId) {
        appKeys(configuredAppId);
        return new HeraldFaults(running, configuredAppId);
    }

    /** The server itself, for what this class does not offer (metrics, the node). */
    public HeraldServer server() {
        return running.server();
    }

    /** What the server was started with. */
    public HeraldSetup setup() {
        return running.setup();
    }

    private Map<String, ApiKey> appKeys(String configuredAppId) {
        Map<String, ApiKey> appKeys = running.keys().get(configuredAppId);
        if (appKeys == null) {
            throw new IllegalArgumentException(
                    "no app " + configuredAppId + " in " + running.keys().keySet());
        }
        return appKeys;
    }

    @Override
    public String toString() {
        return "Herald on " + restUri() + " with " + keys();
    }
}

package io.herald.junit;

import io.herald.auth.ApiKey;
import io.herald.server.HeraldServer;
import io.herald.server.config.ConfigLoader;
import io.herald.server.config.ServerConfig;
import io.herald.server.control.ControlClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One in-process server: the memory engine on an ephemeral port of 127.0.0.1, configured from a {@link HeraldSetup}
 * through the same YAML file and loader as {@code herald serve}. Kept in a JUnit store, which closes it.
 *
 * <p>{@link #reset()} gives every app a fresh id and fresh keys (generation {@code n}: {@code <id>-<n>}) and applies
 * them as a configuration reload does: the old keys stop working, their live connections are disconnected, and the
 * channels, history and presence of the old ids are out of reach. The port stays the same and nothing is rebound, so
 * a reset cannot lose the port to another process.
 *
 * <p>The fault control API ({@code /control/faults}) is on, with a control token generated for this server alone;
 * {@link #control()} is its client.
 */
// CloseableResource is deprecated since JUnit 5.13 (AutoCloseable values are closed instead); it is implemented too so
// that a project on an older JUnit still gets its server closed
@SuppressWarnings("deprecation")
final class RunningHerald implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private static final String HOST = "127.0.0.1";

    private final HeraldSetup setup;
    private final HeraldServer server;
    private final String controlToken;
    private final ControlClient control;
    /** configured app id -> (key name -> key) of the current generation; replaced whole on reset. */
    private volatile Map<String, Map<String, ApiKey>> keys;

    private int generation;
    private boolean closed;

    private RunningHerald(HeraldSetup setup) {
        this.setup = setup;
        this.keys = generate(setup, 0);
        this.controlToken = newControlToken();
        this.server = start(config(setup, keys, controlToken));
        this.control = new ControlClient("http://" + HOST + ":" + server.port(), controlToken);
    }

    static RunningHerald start(HeraldSetup setup) {
        return new RunningHerald(setup);
    }

    HeraldSetup setup() {
        return setup;
    }

    String host() {
        return HOST;
    }

    int port() {
        return server.port();
    }

    HeraldServer server() {
        return server;
    }

    Map<String, Map<String, ApiKey>> keys() {
        return keys;
    }

    /** The client of this server's fault control API, with its control token. */
    ControlClient control() {
        return control;
    }

    synchronized boolean isClosed() {
        return closed;
    }

    /** Fresh app ids and keys; the previous ones are removed from the running server. */
    synchronized void reset() {
        if (closed) {
            throw new IllegalStateException("the Herald server is closed");
        }
        generation++;
        Map<String, Map<String, ApiKey>> next = generate(setup, generation);
        server.node().reloadApps(config(setup, next, controlToken).core().apps());
        keys = next;
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            server.close();
        }
    }

    private static Map<String, Map<String, ApiKey>> generate(HeraldSetup setup, int generation) {
        Map<String, Map<String, ApiKey>> all = new LinkedHashMap<>();
        for (HeraldSetup.App app : setup.apps()) {
            String appId = generation == 0 ? app.id() : app.id() + "-" + generation;
            Map<String, ApiKey> appKeys = new LinkedHashMap<>();
            for (HeraldSetup.Key key : app.keys()) {
                appKeys.put(
                        key.name(),
                        new ApiKey(appId, key.name(), ApiKey.generate(appId).secret()));
            }
            all.put(app.id(), Map.copyOf(appKeys));
        }
        return all;
    }

    /** The YAML file {@code herald serve} would read for these apps and keys. */
    static String yaml(HeraldSetup setup, Map<String, Map<String, ApiKey>> keys) {
        StringBuilder y = new StringBuilder("drainSeconds: 0\napps:\n");
        for (HeraldSetup.App app : setup.apps()) {
            Map<String, ApiKey> appKeys = keys.getOrDefault(app.id(), Map.of());
            String appId = appKeys.values().iterator().next().appId();
            y.append("  - id: \"").append(appId).append("\"\n    keys:\n");
            for (HeraldSetup.Key key : app.keys()) {
                ApiKey k = appKeys.get(key.name());
                if (k == null) {
                    throw new IllegalStateException("no key " + key.name() + " for app " + app.id());
                }
                y.append("      - key: \"").append(k.keyString()).append("\"\n");
                y.append("        capability: '")
                        .append(key.capability().replace("'", "''"))
                        .append("'\n");
                y.append("        revocableTokens: ")
                        .append(key.revocableTokens())
                        .append('\n');
            }
            if (!app.namespaces().isEmpty()) {
                y.append("    namespaces:\n");
                for (HeraldSetup.Namespace ns : app.namespaces()) {
                    y.append("      - id: \"").append(ns.id()).append("\"\n");
                    y.append("        persisted: ").append(ns.persisted()).append('\n');
                    y.append("        mutableMessages: ")
                            .append(ns.mutableMessages())
                            .append('\n');
                }
            }
        }
        return y.toString();
    }

    /** 32 characters from 24 random bytes: the control API asks for 16 or more. */
    private static String newControlToken() {
        byte[] b = new byte[24];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private static ServerConfig config(HeraldSetup setup, Map<String, Map<String, ApiKey>> keys, String controlToken) {
        try {
            Path file = Files.createTempFile("herald-junit-", ".yaml");
            try {
                Files.writeString(
                        file,
                        yaml(setup, keys) + "control:\n  token: \"" + controlToken + "\"\n",
                        StandardCharsets.UTF_8);
                return ConfigLoader.load(
                        file,
                        new ConfigLoader.Overrides(0, HOST, "memory", null, setup.sandbox(), null, "junit"),
                        Map.of());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HeraldServer start(ServerConfig config) {
        try {
            return HeraldServer.start(config);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting the Herald server", e);
        }
    }
}

package io.herald.server.e2e.support;

import io.herald.auth.ApiKey;
import io.herald.redis.testing.RedisServerProcess;
import io.herald.server.HeraldServer;
import io.herald.server.config.ConfigLoader;
import io.herald.server.config.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Herald server on an ephemeral port of 127.0.0.1 with the in-memory engine and one app, {@code test},
 * holding three keys with fresh random secrets:
 * <ul>
 *   <li>{@link #full} {@code test.full}: every operation on every channel;</li>
 *   <li>{@link #limited} {@code test.limited}: {@value #LIMITED_CAPABILITY};</li>
 *   <li>{@link #revocable} {@code test.rev}: every operation, {@code revocableTokens: true};</li>
 *   <li>{@link #everything} {@code test.all}: every operation on every channel and metachannel ({@code [*]*}).</li>
 * </ul>
 * Extra top-level YAML (e.g. {@code timings: { maxIdleInterval: 5s }}) may be given. Shut down without draining.
 * A test class that shares one server over its tests registers {@link #perClass()} with {@code @RegisterExtension};
 * {@link #perClassOnRedis(String)} is the same server on the Redis engine, with a real {@code redis-server} of its own.
 */
public final class TestServer implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
    public static final String LIMITED_CAPABILITY = "{\"chat:*\":[\"presence\",\"subscribe\"]}";

    public final ApiKey full;
    public final ApiKey limited;
    public final ApiKey revocable;
    public final ApiKey everything;
    private final String extraYaml;
    private final boolean onRedis;
    private HeraldServer server;
    private RedisServerProcess redis;

    private TestServer(String extraYaml) {
        this(extraYaml, false);
    }

    private TestServer(String extraYaml, boolean onRedis) {
        this.onRedis = onRedis;
        this.full = new ApiKey("test", "full", ApiKey.generate("test").secret());
        this.limited = new ApiKey("test", "limited", ApiKey.generate("test").secret());
        this.revocable = new ApiKey("test", "rev", ApiKey.generate("test").secret());
        this.everything = new ApiKey("test", "all", ApiKey.generate("test").secret());
        this.extraYaml = extraYaml;
    }

    public static TestServer start() {
        return start("");
    }

    /** @param extraYaml further top-level settings, appended to the generated configuration file */
    public static TestServer start(String extraYaml) {
        TestServer t = new TestServer(extraYaml);
        t.launch();
        return t;
    }

    /** A server started before the registering class's tests and closed after them. */
    public static TestServer perClass() {
        return new TestServer("");
    }

    /** As {@link #perClass()} with further top-level settings (e.g. {@code sandbox: true}). */
    public static TestServer perClass(String extraYaml) {
        return new TestServer(extraYaml);
    }

    /** As {@link #perClass(String)}, on the Redis engine (a redis-server started for it, closed with it). */
    public static TestServer perClassOnRedis(String extraYaml) {
        return new TestServer(extraYaml, true);
    }

    /**
     * Every (server, wire format) pair, for a {@code @MethodSource} that runs a test on each engine in each format.
     * The test needs {@code @ParameterizedTest(autoCloseArguments = false)}: JUnit would otherwise close the server
     * after the first case.
     */
    public static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> withFormats(
            TestServer... servers) {
        return java.util.stream.Stream.of(servers)
                .flatMap(s -> java.util.stream.Stream.of(WireFormat.values())
                        .map(f -> org.junit.jupiter.params.provider.Arguments.of(s, f)));
    }

    /** {@code memory} or {@code redis}: the engine this server runs on. */
    public String engine() {
        return onRedis ? "redis" : "memory";
    }

    @Override
    public String toString() {
        return engine();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        launch();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        close();
    }

    private void launch() {
        String yaml = "drainSeconds: 0\n"
                + "apps:\n"
                + "  - id: test\n"
                + "    keys:\n"
                + "      - key: \"" + full.keyString() + "\"\n"
                + "      - key: \"" + limited.keyString() + "\"\n"
                + "        capability: '" + LIMITED_CAPABILITY + "'\n"
                + "      - key: \"" + revocable.keyString() + "\"\n"
                + "        revocableTokens: true\n"
                + "      - key: \"" + everything.keyString() + "\"\n"
                + "        capability: '{\"[*]*\":[\"*\"]}'\n"
                + extraYaml + "\n";
        try {
            Path file = Files.createTempFile("herald-e2e-", ".yaml");
            try {
                Files.writeString(file, yaml, StandardCharsets.UTF_8);
                if (onRedis) {
                    redis = RedisServerProcess.start();
                }
                ServerConfig cfg = ConfigLoader.load(
                        file,
                        new ConfigLoader.Overrides(
                                0, "127.0.0.1", engine(), onRedis ? redis.uri() : null, null, null, "it-node"),
                        Map.of());
                server = HeraldServer.start(cfg);
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public int port() {
        return server.port();
    }

    /** {@code http://127.0.0.1:<port><pathAndQuery>}; the argument is used as is (no encoding). */
    public URI uri(String pathAndQuery) {
        return URI.create("http://127.0.0.1:" + port() + pathAndQuery);
    }

    /** {@code ws://127.0.0.1:<port>/?<query>}. */
    public URI wsUri(String query) {
        return URI.create("ws://127.0.0.1:" + port() + "/?" + query);
    }

    public HeraldServer server() {
        return server;
    }

    @Override
    public void close() {
        try {
            if (server != null) {
                server.close();
            }
        } finally {
            if (redis != null) {
                redis.close();
            }
        }
    }
}

package io.herald.demo;

import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The demo backend's settings. Each comes from a command-line option, else an environment variable, else its
 * default; {@link #from(String[], Map)} fails fast with a message that names the bad setting.
 *
 * @param host        interface to bind ({@code --host}, {@code DEMO_HOST}; default {@code 127.0.0.1}, loopback only)
 * @param port        port to listen on ({@code --port}, {@code DEMO_PORT}; default 3000; 0 = any free port)
 * @param heraldUrl   Herald's base URL as the browser reaches it ({@code --herald-url}, {@code HERALD_URL};
 *                    default {@code http://localhost:8080}); sent to the browser. Signing a TokenRequest is
 *                    local: the backend calls Herald only for the admin's "break it" panel ({@code control})
 * @param apiKey      the secret API key ({@code HERALD_API_KEY} only: never on the command line, where
 *                    {@code ps} would show it)
 * @param tokenTtl    ttl of the tokens the TokenRequests ask for ({@code --token-ttl} seconds,
 *                    {@code DEMO_TOKEN_TTL}; default 60 s, so renewals are visible)
 * @param authMode    how the front end gets its TokenRequests by default: {@code authUrl} or
 *                    {@code authCallback} ({@code --auth-mode}, {@code DEMO_AUTH_MODE}; default authUrl)
 * @param usersFile   the users file ({@code --users}, {@code DEMO_USERS}); {@code null} = the bundled demo users
 * @param sessionIdle how long a sign-in session lives unused ({@code DEMO_SESSION_IDLE} seconds; default 30 min)
 * @param control     Herald's fault control API for the admin's "break it" panel ({@code HERALD_CONTROL_TOKEN},
 *                    only from the environment, and {@code HERALD_CONTROL_URL}, default the Herald URL);
 *                    {@code null} without a control token: the panel is hidden and its route answers 503
 */
public record DemoConfig(
        String host,
        int port,
        URI heraldUrl,
        ApiKey apiKey,
        Duration tokenTtl,
        String authMode,
        @Nullable Path usersFile,
        Duration sessionIdle,
        @Nullable HeraldControl control) {

    /**
     * Where the backend reaches Herald's control API (docs/faults.md) and the bearer token it sends. The token
     * stays in this process: it is never sent to the browser nor logged.
     *
     * @param url   Herald's base URL as this backend reaches it
     * @param token the control token Herald was started with ({@code control.token} / {@code HERALD_CONTROL_TOKEN})
     */
    public record HeraldControl(URI url, String token) {
        /** Validates both. */
        public HeraldControl {
            Objects.requireNonNull(url, "url");
            Objects.requireNonNull(token, "token");
            if ((!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) || url.getHost() == null) {
                throw new IllegalArgumentException("HERALD_CONTROL_URL must look like http://host:port, got " + url);
            }
            if (token.length() < 16) {
                throw new IllegalArgumentException("HERALD_CONTROL_TOKEN must be at least 16 characters");
            }
        }

        @Override
        public String toString() {
            return "HeraldControl[url=" + url + ", token=(set)]";
        }
    }

    /** Settings without the control API (no "break it" panel). */
    public DemoConfig(
            String host,
            int port,
            URI heraldUrl,
            ApiKey apiKey,
            Duration tokenTtl,
            String authMode,
            @Nullable Path usersFile,
            Duration sessionIdle) {
        this(host, port, heraldUrl, apiKey, tokenTtl, authMode, usersFile, sessionIdle, null);
    }

    /** The two ways of the tutorial: ably-js fetches the TokenRequest itself, or the app's callback does. */
    public static final String AUTH_URL = "authUrl";
    /** See {@link #AUTH_URL}. */
    public static final String AUTH_CALLBACK = "authCallback";

    static final String USAGE = """
            Usage: java -jar herald-demo.jar [--host H] [--port P] [--herald-url URL] [--token-ttl SECONDS]
                                             [--auth-mode authUrl|authCallback] [--users FILE]
            Environment: HERALD_API_KEY (required: appId.keyId:secret, e.g. the development key `./herald serve`
            prints), HERALD_URL, DEMO_HOST, DEMO_PORT, DEMO_TOKEN_TTL, DEMO_AUTH_MODE, DEMO_USERS, DEMO_SESSION_IDLE,
            HERALD_CONTROL_TOKEN and HERALD_CONTROL_URL (Herald's fault control API: the admin's "break it" panel).
            Options win over the environment. `./herald demo` starts Herald and this app together.""";

    /** Validates every setting. */
    public DemoConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(heraldUrl, "heraldUrl");
        Objects.requireNonNull(apiKey, "apiKey");
        Objects.requireNonNull(tokenTtl, "tokenTtl");
        Objects.requireNonNull(authMode, "authMode");
        Objects.requireNonNull(sessionIdle, "sessionIdle");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        if ((!"http".equals(heraldUrl.getScheme()) && !"https".equals(heraldUrl.getScheme()))
                || heraldUrl.getHost() == null) {
            throw new IllegalArgumentException("Herald URL must look like http://host:port, got " + heraldUrl);
        }
        if (tokenTtl.toMillis() < 1000 || tokenTtl.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("token ttl must be 1 s .. 24 h, got " + tokenTtl.toSeconds() + " s");
        }
        if (!authMode.equals(AUTH_URL) && !authMode.equals(AUTH_CALLBACK)) {
            throw new IllegalArgumentException("auth mode must be authUrl or authCallback, got '" + authMode + "'");
        }
        if (sessionIdle.toSeconds() < 1) {
            throw new IllegalArgumentException("session idle timeout must be at least 1 s");
        }
    }

    /** Herald's port as the browser reaches it (the URL's port, else 80/443). */
    public int heraldPort() {
        int p = heraldUrl.getPort();
        return p > 0 ? p : "https".equals(heraldUrl.getScheme()) ? 443 : 80;
    }

    /** True if the browser should use TLS ({@code wss:}) to reach Herald. */
    public boolean heraldTls() {
        return "https".equals(heraldUrl.getScheme());
    }

    /**
     * Reads the settings from {@code args} and {@code env}.
     *
     * @throws IllegalArgumentException with a message naming the bad option or variable (or the usage for
     *                                  {@code --help})
     */
    public static DemoConfig from(String[] args, Map<String, String> env) {
        Map<String, String> opt = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--help") || a.equals("-h")) {
                throw new IllegalArgumentException(USAGE);
            }
            String name;
            String value;
            int eq = a.indexOf('=');
            if (a.startsWith("--") && eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else if (a.startsWith("--") && i + 1 < args.length) {
                name = a.substring(2);
                value = args[++i];
            } else {
                throw new IllegalArgumentException("unexpected argument '" + a + "'\n" + USAGE);
            }
            if (!java.util.Set.of("host", "port", "herald-url", "token-ttl", "auth-mode", "users")
                    .contains(name)) {
                throw new IllegalArgumentException("unknown option --" + name + "\n" + USAGE);
            }
            opt.put(name, value);
        }
        String keyText = env.get("HERALD_API_KEY");
        if (keyText == null || keyText.isBlank()) {
            throw new IllegalArgumentException(
                    "HERALD_API_KEY is not set. Run `./herald demo` (it generates a development "
                            + "key and starts Herald with it), or start `./herald serve`, copy the development key it prints and "
                            + "export HERALD_API_KEY=<that key> before starting the demo.");
        }
        ApiKey key;
        try {
            key = ApiKey.parse(keyText.trim());
        } catch (AuthException e) {
            throw new IllegalArgumentException("HERALD_API_KEY is malformed: " + e.getMessage());
        }
        String host = setting(opt, env, "host", "DEMO_HOST", "127.0.0.1");
        int port = integer(setting(opt, env, "port", "DEMO_PORT", "3000"), "--port / DEMO_PORT");
        URI herald;
        String heraldText = setting(opt, env, "herald-url", "HERALD_URL", "http://localhost:8080");
        try {
            herald = URI.create(
                    heraldText.endsWith("/") ? heraldText.substring(0, heraldText.length() - 1) : heraldText);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--herald-url / HERALD_URL is not a URL: " + heraldText);
        }
        Duration ttl = Duration.ofSeconds(integer(
                setting(opt, env, "token-ttl", "DEMO_TOKEN_TTL", "60"), "--token-ttl / DEMO_TOKEN_TTL (seconds)"));
        String mode = setting(opt, env, "auth-mode", "DEMO_AUTH_MODE", AUTH_URL);
        String users = optionalSetting(opt, env, "users", "DEMO_USERS");
        Duration idle = Duration.ofSeconds(
                integer(setting(opt, env, "session-idle", "DEMO_SESSION_IDLE", "1800"), "DEMO_SESSION_IDLE (seconds)"));
        return new DemoConfig(
                host, port, herald, key, ttl, mode, users == null ? null : Path.of(users), idle, control(env, herald));
    }

    /** {@code HERALD_CONTROL_TOKEN} (environment only: a secret) and {@code HERALD_CONTROL_URL} (default: Herald's URL). */
    private static @Nullable HeraldControl control(Map<String, String> env, URI herald) {
        String token = env.get("HERALD_CONTROL_TOKEN");
        if (token == null || token.isBlank()) {
            return null;
        }
        String urlText = env.get("HERALD_CONTROL_URL");
        URI url = herald;
        if (urlText != null && !urlText.isBlank()) {
            String t = urlText.trim();
            try {
                url = URI.create(t.endsWith("/") ? t.substring(0, t.length() - 1) : t);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("HERALD_CONTROL_URL is not a URL: " + t);
            }
        }
        return new HeraldControl(url, token.trim());
    }

    private static String setting(
            Map<String, String> opt, Map<String, String> env, String option, String variable, String def) {
        String v = optionalSetting(opt, env, option, variable);
        return v == null ? def : v;
    }

    /** The option, else the environment variable, trimmed; {@code null} when neither is set (or both are blank). */
    private static @Nullable String optionalSetting(
            Map<String, String> opt, Map<String, String> env, String option, String variable) {
        String v = opt.get(option);
        if (v == null) {
            v = env.get(variable);
        }
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static int integer(String text, String what) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " must be a whole number, got '" + text + "'");
        }
    }

    @Override
    public String toString() {
        return "DemoConfig[host=" + host + ", port=" + port + ", heraldUrl=" + heraldUrl + ", key=" + apiKey.keyName()
                + ", tokenTtl=" + tokenTtl + ", authMode=" + authMode + ", usersFile=" + usersFile + ", control="
                + (control == null ? "off" : control.url()) + "]";
    }
}

package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DemoConfigTest {

    static final String KEY = "demo.k3y1d:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ";

    @Test
    void from_keyOnly_givesTheDefaults() {
        DemoConfig c = DemoConfig.from(new String[0], Map.of("HERALD_API_KEY", KEY));
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(3000);
        assertThat(c.heraldUrl()).hasToString("http://localhost:8080");
        assertThat(c.heraldPort()).isEqualTo(8080);
        assertThat(c.heraldTls()).isFalse();
        assertThat(c.tokenTtl()).isEqualTo(Duration.ofSeconds(60));
        assertThat(c.authMode()).isEqualTo("authUrl");
        assertThat(c.usersFile()).isNull();
        assertThat(c.apiKey().keyName()).isEqualTo("demo.k3y1d");
    }

    @Test
    void from_optionsWinOverEnvironment() {
        DemoConfig c = DemoConfig.from(
                new String[] {"--port", "4000", "--token-ttl=15", "--herald-url", "https://rt.example.com/"},
                Map.of(
                        "HERALD_API_KEY",
                        KEY,
                        "DEMO_PORT",
                        "5000",
                        "DEMO_TOKEN_TTL",
                        "30",
                        "DEMO_AUTH_MODE",
                        "authCallback",
                        "DEMO_HOST",
                        "127.0.0.1"));
        assertThat(c.port()).isEqualTo(4000);
        assertThat(c.tokenTtl()).isEqualTo(Duration.ofSeconds(15));
        assertThat(c.authMode()).isEqualTo("authCallback");
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.heraldUrl().getHost()).isEqualTo("rt.example.com");
        assertThat(c.heraldPort()).isEqualTo(443);
        assertThat(c.heraldTls()).isTrue();
    }

    @Test
    void from_withoutKey_explainsWhereToGetOne() {
        assertThatThrownBy(() -> DemoConfig.from(new String[0], Map.of()))
                .hasMessageContaining("HERALD_API_KEY is not set")
                .hasMessageContaining("./herald demo")
                .hasMessageContaining("./herald serve");
    }

    @Test
    void from_badSettings_nameTheSetting_andNeverEchoTheSecret() {
        Map<String, String> env = Map.of("HERALD_API_KEY", KEY);
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--port", "x"}, env))
                .hasMessageContaining("--port");
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--token-ttl", "0"}, env))
                .hasMessageContaining("token ttl");
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--auth-mode", "key"}, env))
                .hasMessageContaining("auth mode");
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--herald-url", "ws://x:1"}, env))
                .hasMessageContaining("Herald URL");
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--bogus", "1"}, env))
                .hasMessageContaining("unknown option --bogus");
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"stray"}, env))
                .hasMessageContaining("unexpected argument");
        assertThatThrownBy(() -> DemoConfig.from(new String[0], Map.of("HERALD_API_KEY", "demo.k3y1d:sec.ret")))
                .hasMessageContaining("HERALD_API_KEY is malformed")
                .hasMessageNotContaining("sec.ret");
        assertThatThrownBy(() -> DemoConfig.from(new String[] {"--help"}, env)).hasMessageStartingWith("Usage:");
    }

    @Test
    void toString_showsTheKeyNameNotTheSecret() {
        DemoConfig c = DemoConfig.from(new String[0], Map.of("HERALD_API_KEY", KEY));
        assertThat(c.toString()).contains("demo.k3y1d").doesNotContain("abcdefghijklmnop");
    }

    @Test
    void controlToken_onlyFromTheEnvironment_urlDefaultsToHerald_andIsNeverPrinted() {
        assertThat(DemoConfig.from(new String[0], Map.of("HERALD_API_KEY", KEY)).control())
                .as("no control token: no break-it panel")
                .isNull();
        String token = "ctl-0123456789abcdefXYZ";
        DemoConfig c = DemoConfig.from(
                new String[] {"--herald-url", "http://localhost:9000"},
                Map.of("HERALD_API_KEY", KEY, "HERALD_CONTROL_TOKEN", token));
        assertThat(c.control()).isNotNull();
        assertThat(c.control().token()).isEqualTo(token);
        assertThat(c.control().url()).hasToString("http://localhost:9000");
        assertThat(c.toString()).contains("control=http://localhost:9000").doesNotContain(token);
        assertThat(c.control().toString()).doesNotContain(token);

        DemoConfig own = DemoConfig.from(
                new String[0],
                Map.of(
                        "HERALD_API_KEY",
                        KEY,
                        "HERALD_CONTROL_TOKEN",
                        token,
                        "HERALD_CONTROL_URL",
                        "http://10.0.0.7:8080/"));
        assertThat(own.control().url()).hasToString("http://10.0.0.7:8080");

        assertThatThrownBy(() -> DemoConfig.from(
                        new String[0], Map.of("HERALD_API_KEY", KEY, "HERALD_CONTROL_TOKEN", "short-secret")))
                .hasMessageContaining("HERALD_CONTROL_TOKEN must be at least 16 characters")
                .hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> DemoConfig.from(
                        new String[0],
                        Map.of("HERALD_API_KEY", KEY, "HERALD_CONTROL_TOKEN", token, "HERALD_CONTROL_URL", "ftp://x")))
                .hasMessageContaining("HERALD_CONTROL_URL");
    }
}

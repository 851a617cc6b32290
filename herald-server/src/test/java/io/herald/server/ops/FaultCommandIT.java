package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.server.e2e.support.TestServer;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code herald fault add|list|clear} against a real server with a control token: what it prints and its exit codes
 * when the server accepts, refuses (bad token, bad kind, unknown id) or is not there at all.
 */
class FaultCommandIT {
    private static final String TOKEN = "fault-cli-token-" + UUID.randomUUID();
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestServer server = TestServer.perClass("control:\n  token: \"" + TOKEN + "\"\n");

    private static String url() {
        return "http://127.0.0.1:" + server.port();
    }

    private static Cli fault(String... args) {
        String[] all = new String[args.length + 5];
        all[0] = "fault";
        System.arraycopy(args, 0, all, 1, args.length);
        all[args.length + 1] = "--url";
        all[args.length + 2] = url();
        all[args.length + 3] = "--token";
        all[args.length + 4] = TOKEN;
        return Cli.run(all);
    }

    private static JsonNode json(Cli cli) throws IOException {
        assertThat(cli.exitCode()).as("exit code; err: %s", cli.err()).isZero();
        return JSON.readTree(cli.out());
    }

    @AfterEach
    void clearEverything() {
        Cli.run("fault", "clear", "--url", url(), "--token", TOKEN);
    }

    @Test
    void add_list_clearOne_clearAll() throws IOException {
        JsonNode drop = json(fault("add", "--kind", "delivery.drop", "--app", "test", "--channel", "cli:room"));
        assertThat(drop.path("id").asText()).startsWith("f_");
        assertThat(drop.path("kind").asText()).isEqualTo("delivery.drop");
        assertThat(drop.path("channel").asText()).isEqualTo("cli:room");

        JsonNode rest = json(fault(
                "add",
                "--kind",
                "rest.fail",
                "--app",
                "test",
                "--method",
                "get",
                "--path",
                "/channels/*/messages",
                "--count",
                "2",
                "--code",
                "50001",
                "--status",
                "502",
                "--message",
                "history is down",
                "--ttl-ms",
                "30000"));
        assertThat(rest.path("method").asText()).isEqualTo("GET");
        assertThat(rest.path("remaining").asInt()).isEqualTo(2);
        assertThat(rest.path("error").path("code").asInt()).isEqualTo(50001);
        assertThat(rest.path("error").path("statusCode").asInt()).isEqualTo(502);
        assertThat(rest.path("error").path("message").asText()).isEqualTo("history is down");
        assertThat(rest.path("ttlLeftMs").asLong()).isBetween(1L, 30_000L);

        JsonNode listed = json(fault("list", "--app", "test"));
        assertThat(listed.path("faults"))
                .extracting(f -> f.path("id").asText())
                .containsExactly(drop.path("id").asText(), rest.path("id").asText());
        assertThat(json(fault("list", "--app", "other")).path("faults")).isEmpty();

        JsonNode one = json(fault("clear", drop.path("id").asText()));
        assertThat(one.path("cleared").asInt()).isEqualTo(1);
        assertThat(json(fault("list")).path("faults"))
                .extracting(f -> f.path("id").asText())
                .containsExactly(rest.path("id").asText());

        assertThat(json(fault("clear", "--app", "test")).path("cleared").asInt())
                .isEqualTo(1);
        assertThat(json(fault("list")).path("faults")).isEmpty();
    }

    @Test
    void latencyOnOneConnection_sendsDelayAndConnectionId() throws IOException {
        JsonNode f = json(fault(
                "add",
                "--kind",
                "connection.latency",
                "--app",
                "test",
                "--connection-id",
                "no-such-connection",
                "--delay-ms",
                "1500"));
        assertThat(f.path("connectionId").asText()).isEqualTo("no-such-connection");
        assertThat(f.path("delayMs").asLong()).isEqualTo(1500);
    }

    @Test
    void badKind_printsTheServers400ErrorAndExits1() {
        Cli cli = fault("add", "--kind", "connection.explode", "--app", "test", "--client-id", "alice");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err())
                .contains("fault add refused")
                .contains("code 40003")
                .contains("status 400")
                .contains("Unknown fault kind 'connection.explode'");
    }

    @Test
    void unknownApp_andUnknownId_are404s() {
        Cli app = fault("add", "--kind", "connection.drop", "--app", "nope");
        assertThat(app.exitCode()).isEqualTo(1);
        assertThat(app.err()).contains("code 40400").contains("status 404").contains("No app with id 'nope'");

        Cli id = fault("clear", "f_doesnotexist");
        assertThat(id.exitCode()).isEqualTo(1);
        assertThat(id.err()).contains("code 40400").contains("No active fault with id 'f_doesnotexist'");
    }

    @Test
    void badToken_isRefusedWith40100AndExits1() {
        Cli cli = Cli.run("fault", "list", "--url", url(), "--token", "not-the-control-token");
        assertThat(cli.exitCode()).isEqualTo(1);
        assertThat(cli.out()).isEmpty();
        assertThat(cli.err())
                .contains("fault list refused")
                .contains("code 40100")
                .contains("status 401")
                .contains("Bearer <control token>");
    }

    @Test
    void serverWithoutControlApi_saysHowToTurnItOn() {
        try (TestServer plain = TestServer.start()) {
            Cli cli = Cli.run("fault", "list", "--url", "http://127.0.0.1:" + plain.port(), "--token", TOKEN);
            assertThat(cli.exitCode()).isEqualTo(1);
            assertThat(cli.err())
                    .contains("code 40400")
                    .contains("is the control API on?")
                    .contains("HERALD_CONTROL_TOKEN");
        }
    }

    @Test
    void serverNotRunning_saysSoInOneLineAndExits3() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Cli cli = Cli.run("fault", "list", "--url", "http://127.0.0.1:" + port, "--token", TOKEN);
        assertThat(cli.exitCode()).isEqualTo(3);
        assertThat(cli.err().strip())
                .isEqualTo("herald: cannot reach Herald at http://127.0.0.1:" + port
                        + " (connection refused): is it running on that port?");
        assertThat(cli.err()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void usageErrors_exit2WithoutTouchingTheServer() {
        Cli missingKind = Cli.run("fault", "add", "--app", "test", "--url", url(), "--token", TOKEN);
        assertThat(missingKind.exitCode()).isEqualTo(2);
        assertThat(missingKind.err()).contains("--kind");

        Cli badUrl = Cli.run("fault", "list", "--url", "ftp://x", "--token", TOKEN);
        assertThat(badUrl.exitCode()).isEqualTo(2);
        assertThat(badUrl.err()).contains("--url").contains("not an http(s) URL");

        Cli statusWithoutCode = fault("add", "--kind", "channel.fail", "--app", "test", "--status", "500");
        assertThat(statusWithoutCode.exitCode()).isEqualTo(2);
        assertThat(statusWithoutCode.err()).contains("need --code");

        Cli both = fault("clear", "f_x", "--app", "test");
        assertThat(both.exitCode()).isEqualTo(2);

        Cli emptyToken = Cli.run("fault", "list", "--url", url(), "--token", " ");
        assertThat(emptyToken.exitCode()).isEqualTo(2);
        assertThat(emptyToken.err()).contains("no control token").contains("HERALD_CONTROL_TOKEN");

        Cli bare = Cli.run("fault");
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.err()).contains("add").contains("list").contains("clear");
    }
}

package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.TestServer;
import java.net.http.HttpRequest;
import org.junit.jupiter.api.Test;

/**
 * The HTTP front's access policies on a real server: {@code GET /metrics} behind a bearer token when
 * {@code metrics.token} is set, and credentialed CORS only for {@code cors.allowedOrigins} when it is set (every origin
 * by default, which ably-js in a browser needs: it sends {@code Authorization} with credentials).
 */
class FrontPoliciesIT {
    private static final String TOKEN = "scrapeToken-0123456789abcdef";
    private static final String ALLOWED = "https://app.example.com";
    private static final String OTHER = "https://evil.example.net";

    @Test
    void metricsToken_unauthenticatedOrWrongScrapeRefused_rightTokenServed() {
        try (TestServer server = TestServer.start("metrics: { token: " + TOKEN + " }")) {
            Http.assertAblyError(Http.get(server.uri("/metrics")), 401, 40100);
            Http.assertAblyError(
                    Http.get(server.uri("/metrics"), "Authorization", "Bearer wrong-" + TOKEN), 401, 40100);
            Http.assertAblyError(
                    Http.get(server.uri("/metrics"), "Authorization", Http.basic(server.full)), 401, 40100);
            Http.Response ok = Http.get(server.uri("/metrics"), "Authorization", "Bearer " + TOKEN);
            assertThat(ok.status()).isEqualTo(200);
            assertThat(ok.text()).contains("herald_ready");
            // the rest of the API is unaffected
            assertThat(Http.get(server.uri("/time")).status()).isEqualTo(200);
        }
    }

    @Test
    void noMetricsToken_scrapeNeedsNoCredentials() {
        try (TestServer server = TestServer.start()) {
            assertThat(Http.get(server.uri("/metrics")).status()).isEqualTo(200);
        }
    }

    @Test
    void allowedOrigins_credentialsOnlyForThem() {
        try (TestServer server = TestServer.start("cors: { allowedOrigins: [\"" + ALLOWED + "\"] }")) {
            Http.Response allowed = Http.get(server.uri("/time"), "Origin", ALLOWED);
            assertThat(allowed.header("Access-Control-Allow-Origin")).isEqualTo(ALLOWED);
            assertThat(allowed.header("Access-Control-Allow-Credentials")).isEqualTo("true");

            Http.Response other = Http.get(server.uri("/time"), "Origin", OTHER);
            assertThat(other.status()).isEqualTo(200);
            assertThat(other.header("Access-Control-Allow-Origin")).isNull();
            assertThat(other.header("Access-Control-Allow-Credentials")).isNull();

            Http.Response preflight = Http.send(Http.request(server.uri("/channels/x/messages"))
                    .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                    .header("Origin", OTHER)
                    .header("Access-Control-Request-Method", "POST")
                    .header("Access-Control-Request-Headers", "authorization,content-type")
                    .build());
            assertThat(preflight.header("Access-Control-Allow-Origin")).isNull();
            assertThat(preflight.header("Access-Control-Allow-Credentials")).isNull();

            // an error answered by the transport (before the REST API) follows the same rule
            Http.Response refused = Http.get(
                    server.uri("/keys/test.full/requestToken"), "Origin", OTHER, "Authorization", "Bearer nope");
            assertThat(refused.header("Access-Control-Allow-Credentials")).isNull();
        }
    }

    @Test
    void defaultCors_echoesAnyOriginWithCredentials_andHeraldNeverAsksForAmbientCredentials() {
        try (TestServer server = TestServer.start()) {
            Http.Response r = Http.get(server.uri("/time"), "Origin", OTHER);
            assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo(OTHER);
            assertThat(r.header("Access-Control-Allow-Credentials")).isEqualTo("true");
            // what makes the echo harmless: no cookie is ever set and no browser login prompt is ever asked for
            Http.Response unauthorized = Http.get(server.uri("/channels/x/messages"), "Origin", OTHER);
            assertThat(unauthorized.status()).isEqualTo(401);
            assertThat(unauthorized.header("WWW-Authenticate")).isNull();
            assertThat(unauthorized.header("Set-Cookie")).isNull();
        }
    }
}

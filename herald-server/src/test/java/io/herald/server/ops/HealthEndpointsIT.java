package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** {@code /health/live} and {@code /health/ready} on a real server, and readiness mirrored in {@code herald_ready}. */
class HealthEndpointsIT {

    @Test
    void live_runningServer_200() {
        try (OpsServer server = OpsServer.start()) {
            HttpResponse<String> r = server.get("/health/live");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(OpsServer.json(r.body()).path("status").asText()).isEqualTo("live");
        }
    }

    @Test
    void ready_engineUpAndKeysLoaded_200() {
        try (OpsServer server = OpsServer.start()) {
            HttpResponse<String> r = server.get("/health/ready");

            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(OpsServer.json(r.body()).path("status").asText()).isEqualTo("ready");
            assertThat(OpsServer.json(r.body()).path("engine").asText()).isEqualTo("reachable");
            assertThat(server.scrape().value("herald_ready")).isEqualTo(1.0);
        }
    }

    @Test
    void ready_noKeysLoaded_503ButStillLive() {
        try (OpsServer server = OpsServer.startWithoutKeys()) {
            HttpResponse<String> ready = server.get("/health/ready");

            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(OpsServer.json(ready.body()).path("keys").asText()).isEqualTo("none");
            assertThat(server.get("/health/live").statusCode()).isEqualTo(200);
            assertThat(server.scrape().value("herald_ready")).isZero();
            assertThat(server.scrape().value("herald_api_keys")).isZero();
        }
    }

    @Test
    void metrics_noCredentials_servedWithoutAuthentication() {
        try (OpsServer server = OpsServer.start()) {
            assertThat(server.get("/metrics").statusCode()).isEqualTo(200);
            assertThat(server.get("/metricsx").statusCode())
                    .as("only the exact path")
                    .isEqualTo(404);
        }
    }
}

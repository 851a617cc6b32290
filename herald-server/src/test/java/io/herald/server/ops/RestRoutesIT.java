package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The REST route table on a real server: every known path asked with a method it has no route for answers 405 with
 * an {@code Allow} header and an Ably error (40500, ably-common's "method not allowed"); unknown paths stay 404; the
 * CORS preflight is answered on every path.
 */
class RestRoutesIT {
    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE");

    /** Every route of a sandbox node with metrics and the admin page: method and pattern, as the table lists them. */
    private static final List<String> ROUTES = List.of(
            "GET /time",
            "POST /keys/{keyName}/requestToken",
            "POST /keys/{keyName}/revokeTokens",
            "GET /channels",
            "GET /channels/{name}",
            "POST /channels/{name}/messages",
            "GET /channels/{name}/messages",
            "GET /channels/{name}/history",
            "GET /channels/{name}/messages/{serial}",
            "PATCH /channels/{name}/messages/{serial}",
            "POST /channels/{name}/messages/{serial}/delete",
            "GET /channels/{name}/messages/{serial}/versions",
            "POST /channels/{name}/messages/{serial}/annotations",
            "GET /channels/{name}/messages/{serial}/annotations",
            "GET /channels/{name}/object",
            "GET /channels/{name}/object/{objectId}",
            "POST /channels/{name}/object",
            "GET /channels/{name}/objects",
            "GET /channels/{name}/objects/{objectId}",
            "POST /channels/{name}/objects",
            "GET /channels/{name}/presence",
            "GET /channels/{name}/presence/history",
            "POST /messages",
            "GET /presence",
            "GET /stats",
            "POST /stats",
            "POST /apps",
            "DELETE /apps/{id}",
            "GET /health/live",
            "GET /health/ready",
            "GET /metrics",
            "GET /sse",
            "GET /event-stream",
            "GET /admin",
            "GET /admin/admin.js",
            "GET /admin/admin.css",
            "GET /admin/api/summary",
            "POST /chat/v4/rooms/{room}/messages",
            "GET /chat/v4/rooms/{room}/messages",
            "GET /chat/v4/rooms/{room}/occupancy",
            "GET /chat/v4/rooms/{room}/messages/{serial}",
            "PUT /chat/v4/rooms/{room}/messages/{serial}",
            "POST /chat/v4/rooms/{room}/messages/{serial}/delete",
            "GET /chat/v4/rooms/{room}/messages/{serial}/versions",
            "POST /chat/v4/rooms/{room}/messages/{serial}/reactions",
            "DELETE /chat/v4/rooms/{room}/messages/{serial}/reactions",
            "GET /chat/v4/rooms/{room}/messages/{serial}/client-reactions",
            "POST /control/faults",
            "GET /control/faults",
            "DELETE /control/faults",
            "DELETE /control/faults/{id}");

    @Test
    void everyRoute_wrongMethod_405WithAllowAndAblyError() {
        try (OpsServer server = OpsServer.startSandboxWithAdmin()) {
            assertThat(server.server.node().routes()).containsExactlyInAnyOrderElementsOf(ROUTES);
            Map<String, Set<String>> allowed = new LinkedHashMap<>();
            for (String route : server.server.node().routes()) {
                String[] mp = route.split(" ", 2);
                Set<String> methods = allowed.computeIfAbsent(mp[1], p -> new LinkedHashSet<>());
                methods.add(mp[0]);
                if (mp[0].equals("GET")) {
                    methods.add("HEAD");
                }
            }
            List<String> checked = new ArrayList<>();
            for (Map.Entry<String, Set<String>> e : allowed.entrySet()) {
                String path = e.getKey()
                        .replace("{name}", "routes-it")
                        .replace("{room}", "routes-it")
                        .replace("{keyName}", server.key.keyName())
                        .replace("{id}", "someapp")
                        .replace("{serial}", "someserial")
                        .replace("{objectId}", "root");
                for (String method : METHODS) {
                    if (e.getValue().contains(method)) {
                        continue;
                    }
                    HttpResponse<String> r = send(server, method, path, null);
                    if (e.getKey().equals("/keys/{keyName}/requestToken")) {
                        // as Ably: a wrong method on the token endpoint is not found (ably-js rest/request)
                        assertThat(r.statusCode()).as(method + " " + path).isEqualTo(404);
                        assertThat(r.headers().firstValue("X-Ably-Errorcode")).contains("40400");
                        continue;
                    }

                    String what = method + " " + path;
                    assertThat(r.statusCode()).as(what).isEqualTo(405);
                    Set<String> allow = new LinkedHashSet<>(
                            List.of(r.headers().firstValue("Allow").orElse("").split(", ")));
                    Set<String> expected = new LinkedHashSet<>(e.getValue());
                    expected.add("OPTIONS");
                    assertThat(allow).as(what).containsExactlyInAnyOrderElementsOf(expected);
                    assertThat(r.headers().firstValue("X-Ably-Errorcode"))
                            .as(what)
                            .contains("40500");
                    if (!method.equals("HEAD")) {
                        JsonNode error = OpsServer.json(r.body()).path("error");
                        assertThat(error.path("code").asInt()).as(what).isEqualTo(40500);
                        assertThat(error.path("statusCode").asInt()).as(what).isEqualTo(405);
                        assertThat(error.path("message").asText())
                                .as(what)
                                .contains(method)
                                .contains(e.getKey());
                        assertThat(r.headers().firstValue("Content-Type"))
                                .as(what)
                                .contains("application/json");
                    }
                    checked.add(what);
                }
            }
            assertThat(checked).as("every path has a method it refuses").hasSizeGreaterThanOrEqualTo(allowed.size());
        }
    }

    @Test
    void wrongMethod_keepsCorsAndServerHeaders() {
        try (OpsServer server = OpsServer.startSandbox()) {
            HttpResponse<String> r = send(server, "DELETE", "/time", "https://app.example.com");

            assertThat(r.statusCode()).isEqualTo(405);
            assertThat(r.headers().firstValue("Access-Control-Allow-Origin")).contains("https://app.example.com");
            assertThat(r.headers().firstValue("X-Ably-Serverid")).contains("ops-it");
        }
    }

    @Test
    void unknownPaths_stay404() {
        try (OpsServer server = OpsServer.startSandbox()) {
            for (String path :
                    List.of("/nothing", "/channels/x/unknown", "/keys/x", "/health", "/metricsx", "/time/extra")) {
                HttpResponse<String> r = send(server, "POST", path, null);

                assertThat(r.statusCode()).as(path).isEqualTo(404);
                assertThat(r.headers().firstValue("Allow")).as(path).isEmpty();
                assertThat(OpsServer.json(r.body()).path("error").path("code").asInt())
                        .as(path)
                        .isEqualTo(40400);
            }
        }
    }

    @Test
    void sandboxRoutes_absentWithoutSandbox_404() {
        try (OpsServer server = OpsServer.start()) {
            assertThat(server.server.node().routes()).doesNotContain("POST /apps", "DELETE /apps/{id}", "POST /stats");
            assertThat(send(server, "POST", "/apps", null).statusCode()).isEqualTo(404);
            HttpResponse<String> stats = send(server, "POST", "/stats", null);
            assertThat(stats.statusCode()).isEqualTo(405);
            assertThat(stats.headers().firstValue("Allow")).contains("GET, HEAD, OPTIONS");
        }
    }

    @Test
    void preflight_answeredOnEveryPath() {
        try (OpsServer server = OpsServer.startSandbox()) {
            for (String path : List.of("/time", "/channels/x/messages", "/nothing")) {
                HttpResponse<String> r = server.send(HttpRequest.newBuilder(server.uri(path))
                        .timeout(OpsServer.WAIT)
                        .method("OPTIONS", HttpRequest.BodyPublishers.noBody())
                        .header("Origin", "https://app.example.com")
                        .header("Access-Control-Request-Method", "POST")
                        .build());

                assertThat(r.statusCode()).as(path).isEqualTo(204);
                assertThat(r.headers().firstValue("Access-Control-Allow-Methods"))
                        .as(path)
                        .contains("GET, POST, PUT, PATCH, DELETE, OPTIONS");
            }
        }
    }

    private static HttpResponse<String> send(OpsServer server, String method, String path, String origin) {
        HttpRequest.Builder b = HttpRequest.newBuilder(server.uri(path))
                .timeout(OpsServer.WAIT)
                .method(
                        method,
                        method.equals("GET") || method.equals("HEAD") || method.equals("DELETE")
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofString("{}"))
                .header("Content-Type", "application/json");
        if (origin != null) {
            b.header("Origin", origin);
        }
        return server.send(b.build());
    }
}

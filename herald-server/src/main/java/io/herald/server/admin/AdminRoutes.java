package io.herald.server.admin;

import io.herald.core.HeraldNode;
import io.herald.core.rest.RestApi;
import io.herald.core.rest.RestRequest;
import io.herald.core.rest.RestResponse;
import io.herald.protocol.ErrorCode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin page's routes, mounted in the node's REST route table (as {@code GET /metrics} is, so a wrong method gets
 * the same 405 as every other route) only when {@code admin.token} is configured; without it {@code /admin} is an
 * unknown path (404).
 *
 * <ul>
 *   <li>{@code GET /admin}, {@code GET /admin/admin.js}, {@code GET /admin/admin.css}: the static page, which asks for
 *       the token in a form and keeps it in the tab's {@code sessionStorage}, never in a URL;
 *   <li>{@code GET /admin/api/summary}: the {@link AdminSummary}, only with {@code Authorization: Bearer <admin.token>}
 *       (compared in constant time); anything else (no header, another token, an app's key or token, a token in the
 *       query string) gets 401 with an Ably error.
 * </ul>
 *
 * Every answer, refusals included, carries a {@code Content-Security-Policy} of {@code default-src 'self'}, {@code
 * X-Frame-Options: DENY} and {@code Cache-Control: no-store}.
 */
public final class AdminRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AdminRoutes.class);
    static final String CSP = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

    private final byte[] token;
    private final AdminSummary summary;

    private AdminRoutes(String token, AdminSummary summary) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.summary = summary;
    }

    /** Mounts the admin routes on {@code node}, before its port is opened. */
    public static void mount(HeraldNode node, String token, AdminSummary summary) {
        AdminRoutes routes = new AdminRoutes(token, summary);
        node.mountRoute("GET", "/admin", staticFile("index.html", "text/html; charset=utf-8"));
        node.mountRoute("GET", "/admin/admin.js", staticFile("admin.js", "text/javascript; charset=utf-8"));
        node.mountRoute("GET", "/admin/admin.css", staticFile("admin.css", "text/css; charset=utf-8"));
        node.mountRoute("GET", "/admin/api/summary", routes::summary);
    }

    private CompletionStage<RestResponse> summary(RestRequest request) {
        RestResponse r;
        if (!authorized(request.header("authorization"))) {
            r = RestApi.errorResponse(
                    ErrorCode.UNAUTHORIZED.info("GET /admin/api/summary needs Authorization: Bearer <admin.token>"));
            r.header("WWW-Authenticate", "Bearer realm=\"herald-admin\"");
        } else {
            try {
                r = new RestResponse(200, "application/json", summary.json());
            } catch (RuntimeException e) {
                LOG.error("GET /admin/api/summary failed", e);
                r = RestApi.errorResponse(ErrorCode.INTERNAL_ERROR.info("Internal error"));
            }
        }
        return CompletableFuture.completedFuture(secured(r));
    }

    private boolean authorized(@Nullable String auth) {
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(auth.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
    }

    private static java.util.function.Function<RestRequest, CompletionStage<RestResponse>> staticFile(
            String name, String contentType) {
        byte[] body = resource(name);
        return request -> CompletableFuture.completedFuture(secured(new RestResponse(200, contentType, body)));
    }

    /** The headers every admin answer carries. */
    static RestResponse secured(RestResponse r) {
        return r.header("Content-Security-Policy", CSP)
                .header("X-Frame-Options", "DENY")
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer")
                .header("Cache-Control", "no-store");
    }

    private static byte[] resource(String name) {
        try (InputStream in = AdminRoutes.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("admin page resource missing from the jar: " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

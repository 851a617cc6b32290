package io.herald.server.netty;

import io.herald.core.rest.RestApi;
import io.herald.core.rest.RestRequest;
import io.herald.core.rest.RestResponse;
import io.herald.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /metrics}, a route of the node's REST route table (so a wrong method gets the same 405 as every other
 * route) answered as the {@link MetricsEndpoint} makes it: with {@code metrics.token} configured, only to a scrape
 * that carries it as a bearer token.
 */
final class MetricsRoute {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsRoute.class);

    private final MetricsEndpoint metrics;
    private final @Nullable String token;

    MetricsRoute(MetricsEndpoint metrics, @Nullable String token) {
        this.metrics = metrics;
        this.token = token;
    }

    CompletionStage<RestResponse> answer(RestRequest request) {
        if (!authorized(request.header("authorization"))) {
            return CompletableFuture.completedFuture(RestApi.errorResponse(
                    ErrorCode.UNAUTHORIZED.info("GET /metrics needs Authorization: Bearer <metrics.token>")));
        }
        RestResponse r;
        try {
            r = metrics.scrape(request.header("accept"));
        } catch (RuntimeException e) {
            LOG.error("GET /metrics failed", e);
            r = RestApi.errorResponse(ErrorCode.INTERNAL_ERROR.info("Internal error"));
        }
        return CompletableFuture.completedFuture(r);
    }

    private boolean authorized(@Nullable String auth) {
        if (token == null) {
            return true;
        }
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(
                auth.substring(7).trim().getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
    }
}

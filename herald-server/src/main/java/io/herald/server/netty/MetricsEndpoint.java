package io.herald.server.netty;

import io.herald.core.rest.RestResponse;

/**
 * Answers {@code GET /metrics}, which {@link HttpHandler} serves before the REST API, unauthenticated.
 */
@FunctionalInterface
public interface MetricsEndpoint {

    /** The scrape response for a request with this {@code Accept} header ({@code null} if none). */
    RestResponse scrape(String accept);
}

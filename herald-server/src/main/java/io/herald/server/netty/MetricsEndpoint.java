package io.herald.server.netty;

import io.herald.core.rest.RestResponse;
import org.jspecify.annotations.Nullable;

/**
 * Answers {@code GET /metrics}, a route of the node's REST route table ({@link MetricsRoute} checks the token first).
 */
@FunctionalInterface
public interface MetricsEndpoint {

    /** The scrape response for a request with this {@code Accept} header ({@code null} if none). */
    RestResponse scrape(@Nullable String accept);
}

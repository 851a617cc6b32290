package io.herald.server.netty;

import io.herald.core.HeraldNode;
import io.herald.core.rest.RestApi;
import io.herald.server.comet.CometEndpoint;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import org.jspecify.annotations.Nullable;

/**
 * The one place the pipeline is composed: the read deadlines and connection caps ({@link HttpGuard}), HTTP codec, the body limit (an Ably 413 for bodies over the limit,
 * {@link BodyLimitHandler}), body aggregation, flush consolidation, and {@link HttpHandler}, which upgrades
 * WebSockets in place and serves {@code GET /metrics}.
 */
public final class HeraldInitializer extends ChannelInitializer<SocketChannel> {
    private final HeraldNode node;
    private final ServerSettings settings;
    private final ConnectionLimiter limiter;
    private final @Nullable CorsPolicy cors;
    private final OutboundBudget outbound;
    private final CometEndpoint comet;

    public HeraldInitializer(HeraldNode node, ServerSettings settings) {
        this(node, settings, null);
    }

    /** With {@code metrics} answering {@code GET /metrics}, a route of the node's ({@code null}: no such route). */
    public HeraldInitializer(HeraldNode node, ServerSettings settings, @Nullable MetricsEndpoint metrics) {
        this.node = node;
        this.settings = settings;
        if (metrics != null) {
            node.mountRoute("GET", "/metrics", new MetricsRoute(metrics, settings.metricsToken())::answer);
        }
        // the event streams are served by HttpHandler before the route table; their routes are listed so that the
        // table's 405s and its route list know them
        for (String path : HttpHandler.SSE_PATHS) {
            node.mountRoute(
                    "GET",
                    path,
                    r -> java.util.concurrent.CompletableFuture.completedFuture(
                            RestApi.errorResponse(io.herald.protocol.ErrorCode.BAD_REQUEST.info(
                                    "An event stream needs GET with a streaming client"))));
        }
        this.limiter = new ConnectionLimiter(settings.maxConnections(), settings.maxConnectionsPerAddress());
        this.cors = CorsPolicy.of(settings.corsAllowedOrigins());
        this.outbound = new OutboundBudget(node.config().limits().totalOutboundBudgetBytes());
        this.comet = new CometEndpoint(node, settings, outbound);
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        int max = settings.maxFrameSize();
        HttpGuard guard = new HttpGuard(node, settings, limiter, ch);
        ch.pipeline()
                .addLast(HttpGuard.RAW, guard.raw())
                .addLast(FlushBatcher.NAME, new FlushBatcher())
                .addLast("http", new HttpServerCodec(8192, 16384, 16384))
                .addLast(HttpGuard.PHASES, guard.phases())
                .addLast("body-limit", new BodyLimitHandler(node, max))
                .addLast("aggregator", new HttpObjectAggregator(max + 1))
                .addLast("rest", new HttpHandler(node, settings, outbound, comet));
        if (cors != null) {
            ch.pipeline().addAfter("http", CorsPolicy.NAME, cors);
        }
    }
}

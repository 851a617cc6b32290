package io.herald.server.netty;

import io.herald.core.HeraldNode;
import io.herald.core.rest.RestApi;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flush.FlushConsolidationHandler;

/**
 * The one place the pipeline is composed: HTTP codec, body aggregation (with an Ably 413 for bodies over the
 * limit), flush consolidation, and {@link HttpHandler}, which upgrades WebSockets in place.
 */
public final class HeraldInitializer extends ChannelInitializer<SocketChannel> {
    private final HeraldNode node;
    private final ServerSettings settings;
    private final MetricsEndpoint metrics;

    public HeraldInitializer(HeraldNode node, ServerSettings settings) {
        this(node, settings, null);
    }

    /** With {@code metrics} answering {@code GET /metrics} ({@code null}: no such endpoint). */
    public HeraldInitializer(HeraldNode node, ServerSettings settings, MetricsEndpoint metrics) {
        this.node = node;
        this.settings = settings;
        this.metrics = metrics;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        int max = settings.maxFrameSize();
        ch.pipeline()
                .addLast("flush", new FlushConsolidationHandler(256, true))
                .addLast("http", new HttpServerCodec(8192, 16384, 16384))
                .addLast("aggregator", new HttpObjectAggregator(max) {
                    @Override
                    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
                        ErrorInfo e = ErrorCode.MESSAGE_TOO_LARGE.info("Request body larger than the limit of "
                                + max + " bytes");
                        HttpHandler.write(ctx, RestApi.errorResponse(e), false, false);
                    }
                })
                .addLast("rest", new HttpHandler(node, settings, metrics));
    }
}

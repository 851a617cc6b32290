package io.herald.server.netty;

import io.herald.core.HeraldNode;
import io.herald.core.internal.AblyException;
import io.herald.core.rest.RestApi;
import io.herald.core.rest.RestRequest;
import io.herald.core.rest.RestResponse;
import io.herald.core.session.ConnectionHandler;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Format;
import io.herald.server.comet.CometEndpoint;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * HTTP requests of one socket: a WebSocket upgrade on {@code /} becomes a realtime connection, {@code /sse} an event
 * stream, {@code /comet/...} a request of a Comet connection ({@link CometEndpoint}); anything else goes to the node's
 * REST route table (which also holds {@code GET /metrics}, see {@link MetricsRoute}).
 */
// Netty reports a failed write or close through the pipeline (exceptionCaught, channelInactive); nothing waits on
// the ChannelFuture of a close(), a write with the void promise or a pong
@SuppressWarnings("FutureReturnValueIgnored")
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpHandler.class);

    private final HeraldNode node;
    private final ServerSettings settings;
    private final OutboundBudget outbound;
    private final CometEndpoint comet;
    private @Nullable SseStream sse;
    /** The peer's address as text, made on the connection's first REST request (one handler per connection). */
    private @Nullable String remote;

    /** The Server-Sent Events endpoints (docs/protocol.md §15), answered here rather than by the REST routes. */
    static final java.util.Set<String> SSE_PATHS = java.util.Set.of("/sse", "/event-stream");

    HttpHandler(HeraldNode node, ServerSettings settings, OutboundBudget outbound, CometEndpoint comet) {
        this.outbound = outbound;
        this.comet = comet;
        this.node = node;
        this.settings = settings;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        if (!req.decoderResult().isSuccess()) {
            HttpReplies.write(
                    ctx, RestApi.errorResponse(ErrorCode.BAD_REQUEST.info("Malformed HTTP request")), false, false);
            return;
        }
        QueryStringDecoder qs = new QueryStringDecoder(req.uri());
        Map<String, String> query;
        try {
            query = params(qs);
        } catch (IllegalArgumentException e) {
            HttpReplies.write(
                    ctx,
                    RestApi.errorResponse(ErrorCode.BAD_REQUEST.info("Invalid percent-encoding in the query string")),
                    false,
                    false);
            return;
        }
        if (sse != null) {
            return; // a request pipelined behind an event stream: the socket belongs to the stream
        }
        if (isUpgrade(req)) {
            upgrade(ctx, req, qs, query);
            return;
        }
        if (req.method().equals(HttpMethod.GET) && SSE_PATHS.contains(qs.rawPath())) {
            sse = openStream(ctx, req, query);
            return;
        }
        if (CometEndpoint.handles(req.method(), qs.rawPath())) {
            comet.handle(ctx, req, qs.rawPath(), query);
            return;
        }
        Map<String, String> headers = new HashMap<>();
        for (Map.Entry<String, String> h : req.headers()) {
            headers.putIfAbsent(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
        }
        String rawPath = qs.rawPath();
        RestRequest rest = new RestRequest(
                req.method().name(), rawPath, query, headers, ByteBufUtil.getBytes(req.content()), remote(ctx));
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        boolean head = req.method().equals(HttpMethod.HEAD);
        node.rest(rest).whenComplete((response, failure) -> {
            RestResponse r =
                    failure != null ? RestApi.errorResponse(ErrorCode.INTERNAL_ERROR.info("Internal error")) : response;
            if (ctx.executor().inEventLoop()) {
                HttpReplies.write(ctx, r, keepAlive, head);
            } else {
                ctx.executor().execute(() -> HttpReplies.write(ctx, r, keepAlive, head));
            }
        });
    }

    private String remote(ChannelHandlerContext ctx) {
        String r = remote;
        if (r == null) {
            r = String.valueOf(ctx.channel().remoteAddress());
            remote = r;
        }
        return r;
    }

    private static boolean isUpgrade(FullHttpRequest req) {
        String upgrade = req.headers().get(HttpHeaderNames.UPGRADE);
        return upgrade != null && upgrade.equalsIgnoreCase("websocket");
    }

    /** The first value of each query parameter; IllegalArgumentException on a bad percent-encoding. */
    private static Map<String, String> params(QueryStringDecoder qs) {
        Map<String, String> query = new HashMap<>();
        for (Map.Entry<String, List<String>> e : qs.parameters().entrySet()) {
            if (!e.getValue().isEmpty()) {
                query.put(e.getKey(), e.getValue().get(0));
            }
        }
        return query;
    }

    private void upgrade(
            ChannelHandlerContext ctx, FullHttpRequest req, QueryStringDecoder qs, Map<String, String> query) {
        if (!qs.rawPath().equals("/")) {
            HttpReplies.write(
                    ctx,
                    RestApi.errorResponse(ErrorCode.NOT_FOUND.info("WebSocket connections are accepted on / only")),
                    false,
                    false);
            return;
        }
        Format format = Format.fromParam(query.get("format"));
        if (format == null) {
            format = Format.JSON;
        }
        WebSocketDecoderConfig decoderConfig = WebSocketDecoderConfig.newBuilder()
                .maxFramePayloadLength(settings.maxFrameSize())
                .closeOnProtocolViolation(false)
                .allowExtensions(false)
                .build();
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                "ws://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + "/", null, decoderConfig);
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
            return;
        }
        var channel = ctx.channel();
        // the callback captures what it needs, not this handler, which leaves the pipeline below and is then freed
        var observer = node.observer();
        NettyWebSocketTransport transport = new NettyWebSocketTransport(
                channel,
                format,
                settings.maxOutboundQueueBytes(),
                reason -> {
                    LOG.info("closing {}: {}", channel.remoteAddress(), reason);
                    observer.slowConsumerDropped();
                },
                outbound);
        WebSocketHandler wsHandler = new WebSocketHandler(format, transport);
        HttpGuard.upgraded(ctx.pipeline());
        ChannelFuture done = handshaker.handshake(channel, req);
        var pipeline = ctx.pipeline();
        // reader idle only: the session pings on its heartbeat timer, and a writer-idle timer would make every
        // write allocate a promise listener
        pipeline.addLast("ws-idle", new IdleStateHandler(settings.deadPeerSeconds(), 0, 0, TimeUnit.SECONDS));
        pipeline.addLast("ws-aggregator", new WebSocketFrameAggregator(settings.maxFrameSize()));
        pipeline.addLast("ws-handler", wsHandler);
        pipeline.remove(this);
        if (pipeline.get("body-limit") != null) {
            pipeline.remove("body-limit");
        }
        done.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                channel.close();
                return;
            }
            ConnectionHandler h = node.connect(transport, NettyLoop.of(channel.eventLoop()), query);
            wsHandler.bind(h);
            if (!channel.isActive()) {
                h.onClosed("closed during handshake");
            }
        });
    }

    /** Starts an event stream, or answers the Ably error its parameters deserve; {@code null} if refused. */
    private @Nullable SseStream openStream(ChannelHandlerContext ctx, FullHttpRequest req, Map<String, String> query) {
        SseRequest request;
        try {
            request = SseRequest.parse(
                    query,
                    req.headers().get(HttpHeaderNames.AUTHORIZATION),
                    req.headers().get("Last-Event-ID"));
        } catch (AblyException e) {
            HttpReplies.write(ctx, RestApi.errorResponse(e.error()), false, false);
            return null;
        }
        Channel channel = ctx.channel();
        HttpGuard.upgraded(ctx.pipeline());
        SseStream stream = new SseStream(
                ctx,
                request,
                settings.maxOutboundQueueBytes(),
                reason -> {
                    LOG.info("closing event stream {}: {}", channel.remoteAddress(), reason);
                    node.observer().slowConsumerDropped();
                },
                outbound);
        stream.bind(node.connect(stream, NettyLoop.of(channel.eventLoop()), request.connectQuery()));
        return stream;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("http {} error: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}

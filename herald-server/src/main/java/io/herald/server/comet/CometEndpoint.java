package io.herald.server.comet;

import io.herald.core.HeraldNode;
import io.herald.core.internal.AblyException;
import io.herald.core.rest.RestResponse;
import io.herald.core.session.ConnectionHandler;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolMessage;
import io.herald.server.netty.HttpReplies;
import io.herald.server.netty.NettyLoop;
import io.herald.server.netty.OutboundBudget;
import io.herald.server.netty.ServerSettings;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Comet (HTTP long-polling) transport's routes (docs/protocol.md, Comet): {@code /comet/connect} opens a
 * realtime connection with the query a WebSocket would carry and answers its first frames; the connection key from
 * CONNECTED then names it in {@code /comet/{key}/recv} (frames the server has for it, held until there are some),
 * {@code /comet/{key}/send} (an array of ProtocolMessages from the client), {@code /comet/{key}/close} (a CLOSE) and
 * {@code /comet/{key}/disconnect} (the client drops the transport; the connection may be resumed). The session is
 * the same as for a WebSocket, so resume and recover work across the two transports. One instance per server.
 */
public final class CometEndpoint {
    private static final Logger LOG = LoggerFactory.getLogger(CometEndpoint.class);

    /** Requests on paths under this are answered here. */
    public static final String PREFIX = "/comet/";

    /** How long a recv request is held when there is nothing to send (streamed responses end then too). */
    static final long HOLD_MILLIS = 25_000;

    /** The bounds of one connection: its queue, how long a request is held, how long without a recv is gone. */
    record Limits(long maxQueuedBytes, long holdMillis, long goneMillis) {}

    private final HeraldNode node;
    private final Limits limits;
    private final OutboundBudget budget;
    private final ConcurrentHashMap<String, CometTransport> connections = new ConcurrentHashMap<>();

    public CometEndpoint(HeraldNode node, ServerSettings settings, OutboundBudget budget) {
        this(
                node,
                new Limits(
                        settings.maxOutboundQueueBytes(),
                        Math.min(HOLD_MILLIS, settings.deadPeerSeconds() * 1000L / 2),
                        settings.deadPeerSeconds() * 1000L),
                budget);
    }

    CometEndpoint(HeraldNode node, Limits limits, OutboundBudget budget) {
        this.node = node;
        this.limits = limits;
        this.budget = budget;
    }

    /** Whether this request is a Comet one (the CORS preflight is the REST routes'). */
    public static boolean handles(HttpMethod method, String rawPath) {
        return rawPath.startsWith(PREFIX) && (method.equals(HttpMethod.GET) || method.equals(HttpMethod.POST));
    }

    void register(String key, CometTransport t) {
        connections.put(key, t);
    }

    void unregister(String key, CometTransport t) {
        connections.remove(key, t);
    }

    /** Connections that can still be reached by their key (for tests and metrics). */
    int size() {
        return connections.size();
    }

    /** Answers one Comet request; the body of {@code req} is read before this returns. */
    public void handle(ChannelHandlerContext ctx, FullHttpRequest req, String rawPath, Map<String, String> query) {
        String origin = req.headers().get(HttpHeaderNames.ORIGIN);
        boolean keepAlive = HttpUtil.isKeepAlive(req);
        String rest = rawPath.substring(PREFIX.length());
        if (rest.equals("connect")) {
            connect(ctx, query, keepAlive, origin);
            return;
        }
        int slash = rest.lastIndexOf('/');
        String op = slash < 0 ? "" : rest.substring(slash + 1);
        String key;
        try {
            key = slash <= 0 ? "" : QueryStringDecoder.decodeComponent(rest.substring(0, slash));
        } catch (IllegalArgumentException e) {
            key = "";
        }
        if (key.isEmpty()
                || key.indexOf('/') >= 0
                || !List.of("recv", "send", "close", "disconnect").contains(op)) {
            fail(ctx, keepAlive, origin, ErrorCode.NOT_FOUND.info("No Comet route " + truncate(rawPath)));
            return;
        }
        CometTransport t = connections.get(key);
        if (t == null) {
            // not an ERROR for ably-js (its code is not 4xxxx): the client disconnects and tries to resume
            fail(
                    ctx,
                    keepAlive,
                    origin,
                    ErrorInfo.of(
                            ErrorCode.INVALID_CONNECTION_KEY.code(),
                            404,
                            "Unknown connection key: the Comet connection is closed, expired or on another server"));
            return;
        }
        switch (op) {
            case "recv" -> {
                // the connect request chose polled or streamed responses for the connection (ably-js sends
                // the parameter on connect only)
                boolean stream = query.containsKey("stream") ? stream(query) : t.streamed();
                CometPoll p = new CometPoll(node, ctx, keepAlive, stream, origin);
                t.home().execute(() -> t.recv(p));
            }
            case "send" -> send(ctx, req, t, keepAlive, origin);
            case "close" -> {
                t.home().execute(() -> t.onSend(List.of(new ProtocolMessage(io.herald.protocol.Action.CLOSE))));
                noContent(ctx, keepAlive, origin);
            }
            default -> {
                t.home().execute(() -> t.abandon("comet client disconnected", false));
                noContent(ctx, keepAlive, origin);
            }
        }
    }

    private void connect(
            ChannelHandlerContext ctx, Map<String, String> query, boolean keepAlive, @Nullable String origin) {
        Format format = Format.fromParam(query.get("format"));
        if (format == null) {
            format = Format.JSON;
        }
        var channel = ctx.channel();
        CometTransport t = new CometTransport(
                this,
                channel.eventLoop(),
                format,
                stream(query),
                String.valueOf(channel.remoteAddress()),
                limits,
                budget,
                reason -> {
                    LOG.info("closing comet connection {}: {}", channel.remoteAddress(), reason);
                    node.observer().slowConsumerDropped();
                });
        CometPoll first = new CometPoll(node, ctx, keepAlive, stream(query), origin);
        ConnectionHandler h = node.connect(t, NettyLoop.of(channel.eventLoop()), query);
        t.bind(h);
        t.recv(first);
    }

    private void send(
            ChannelHandlerContext ctx,
            FullHttpRequest req,
            CometTransport t,
            boolean keepAlive,
            @Nullable String origin) {
        if (t.isFinished()) {
            fail(ctx, keepAlive, origin, ErrorCode.CONNECTION_CLOSED.info("Connection closed"));
            return;
        }
        List<ProtocolMessage> messages;
        try {
            messages = CometFraming.decode(t.format(), ByteBufUtil.getBytes(req.content()));
        } catch (AblyException e) {
            ErrorInfo error = e.error();
            t.home().execute(() -> t.onBadSend(error));
            fail(ctx, keepAlive, origin, error);
            return;
        }
        t.home().execute(() -> t.onSend(messages));
        noContent(ctx, keepAlive, origin);
    }

    /** {@code stream=false} asks for polled responses; anything else (or nothing, as ably-js in Node) streams. */
    private static boolean stream(Map<String, String> query) {
        return !"false".equals(query.get("stream"));
    }

    private void noContent(ChannelHandlerContext ctx, boolean keepAlive, @Nullable String origin) {
        HttpReplies.write(ctx, node.transportResponse(RestResponse.empty(204), origin), keepAlive, false);
    }

    private void fail(ChannelHandlerContext ctx, boolean keepAlive, @Nullable String origin, ErrorInfo error) {
        HttpReplies.write(ctx, node.transportError(error, origin), keepAlive, false);
    }

    private static String truncate(String s) {
        return s.length() <= 100 ? s : s.substring(0, 100) + "...";
    }
}

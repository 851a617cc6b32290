package io.herald.server.netty;

import io.herald.core.rest.RestResponse;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Map;

/** Writes a {@link RestResponse} as one full HTTP response: the REST routes, the transports' refusals and Comet. */
public final class HttpReplies {
    private HttpReplies() {}

    /** Writes the response; without {@code keepAlive} the connection is closed once it is written. */
    // a failed write is reported through the pipeline; nothing waits on the close
    @SuppressWarnings("FutureReturnValueIgnored")
    public static void write(ChannelHandlerContext ctx, RestResponse r, boolean keepAlive, boolean head) {
        ChannelFuture f = send(ctx, r, keepAlive, head);
        if (!keepAlive) {
            f.addListener(ChannelFutureListener.CLOSE);
        }
    }

    /** Writes the response; {@code keepAlive} only sets the Connection header. */
    public static ChannelFuture send(ChannelHandlerContext ctx, RestResponse r, boolean keepAlive, boolean head) {
        FullHttpResponse resp = new DefaultFullHttpResponse(
                HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(r.status()),
                head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(r.body()));
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            resp.headers().add(h.getKey(), h.getValue());
        }
        HttpUtil.setContentLength(resp, r.body().length);
        resp.headers()
                .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return ctx.writeAndFlush(resp);
    }
}

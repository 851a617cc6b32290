package io.herald.server.comet;

import io.herald.core.HeraldNode;
import io.herald.core.rest.RestResponse;
import io.herald.protocol.Format;
import io.herald.server.netty.HttpReplies;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One held Comet request (a connect or a recv) that frames are answered on. Polled ({@code stream=false}): the first
 * batch is the whole response. Streamed: a chunked response, one batch per chunk, until {@link #end}. Touched only on
 * the connection's home loop; writes to the request's own channel are handed over by Netty.
 */
// a failed write is reported through the pipeline (the channel closes, which the transport listens for)
@SuppressWarnings("FutureReturnValueIgnored")
final class CometPoll {
    private final HeraldNode node;
    private final ChannelHandlerContext ctx;
    private final boolean keepAlive;
    private final boolean stream;
    private final @Nullable String origin;
    private boolean headSent;
    private boolean done;

    CometPoll(HeraldNode node, ChannelHandlerContext ctx, boolean keepAlive, boolean stream, @Nullable String origin) {
        this.node = node;
        this.ctx = ctx;
        this.keepAlive = keepAlive;
        this.stream = stream;
        this.origin = origin;
    }

    Channel channel() {
        return ctx.channel();
    }

    boolean isDone() {
        return done;
    }

    /** Writes a batch; returns whether the request is still held (streamed) or was answered (polled). */
    boolean deliver(Format format, List<byte[]> frames) {
        if (!stream) {
            end(format, frames, 200);
            return false;
        }
        if (!headSent) {
            headSent = true;
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            RestResponse headers = node.transportResponse(RestResponse.empty(200), origin);
            for (Map.Entry<String, List<String>> h : headers.headers().entrySet()) {
                head.headers().add(h.getKey(), h.getValue());
            }
            head.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, CometFraming.contentType(format))
                    .set(HttpHeaderNames.CACHE_CONTROL, "no-cache, no-store")
                    .set("X-Accel-Buffering", "no")
                    .set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            HttpUtil.setTransferEncodingChunked(head, true);
            ctx.write(head);
        }
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(CometFraming.batch(format, frames))));
        return true;
    }

    /** Ends the request with these last frames (none: an empty array); {@code status} if nothing was sent yet. */
    void end(Format format, List<byte[]> frames, int status) {
        if (done) {
            return;
        }
        done = true;
        if (headSent) {
            LastHttpContent last = frames.isEmpty()
                    ? LastHttpContent.EMPTY_LAST_CONTENT
                    : new DefaultLastHttpContent(Unpooled.wrappedBuffer(CometFraming.batch(format, frames)));
            var f = ctx.writeAndFlush(last);
            if (!keepAlive) {
                f.addListener(ChannelFutureListener.CLOSE);
            }
            return;
        }
        RestResponse r = new RestResponse(status, CometFraming.contentType(format), CometFraming.batch(format, frames));
        r.header("Cache-Control", "no-cache, no-store");
        HttpReplies.write(ctx, node.transportResponse(r, origin), keepAlive, false);
    }

    /** Ends the request with an Ably error (status and {@code {"error":...}} body) instead of frames. */
    void fail(io.herald.protocol.ErrorInfo error) {
        if (done) {
            return;
        }
        done = true;
        if (headSent) {
            ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        HttpReplies.write(ctx, node.transportError(error, origin), keepAlive, false);
    }

    /** Drops the request without an answer (a slow consumer: nothing more gets through). */
    void abort() {
        done = true;
        ctx.channel().close();
    }
}

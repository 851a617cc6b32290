package io.herald.server.netty;

import io.herald.core.HeraldNode;
import io.herald.protocol.ErrorCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * Refuses request bodies over the limit before they are aggregated, with an Ably error a client can read: 413 /
 * 40009 with the JSON body, the X-Ably headers and CORS. A declared length over the limit is refused at once (with
 * {@code Expect: 100-continue} before the body is sent); a body that grows too large while chunked is
 * refused when it crosses the limit. The answer says {@code Connection: close} and the rest of the body
 * is read and dropped before the connection is closed, so the client is not reset while it is still sending (RFC
 * 9112 §9.6). A client that expected 100 Continue gets the answer, headers only, and the connection closes.
 */
// Netty reports a failed write or close through the pipeline (exceptionCaught, channelInactive); nothing waits on
// the ChannelFuture of a close(), a write with the void promise or a pong
@SuppressWarnings("FutureReturnValueIgnored")
final class BodyLimitHandler extends ChannelInboundHandlerAdapter {
    private final HeraldNode node;
    private final int max;
    private boolean discarding;
    private long seen;
    private @Nullable String origin;
    private boolean answered;

    BodyLimitHandler(HeraldNode node, int max) {
        this.node = node;
        this.max = max;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpRequest req) {
            discarding = false;
            answered = false;
            seen = 0;
            origin = req.headers().get(HttpHeaderNames.ORIGIN);
            long declared = HttpUtil.getContentLength(req, -1L);
            if (declared > max) {
                if (HttpUtil.is100ContinueExpected(req)) {
                    // the client waits for 100 Continue and will not send the body: answer and close. The error is
                    // in the X-Ably headers only: the JDK's HttpClient (17) hangs on a body in a refusal of an
                    // Expect: 100-continue request; SDKs read the code from the headers as well
                    answered = true;
                    ReferenceCountUtil.release(msg);
                    io.herald.core.rest.RestResponse full = node.transportError(tooLarge(), origin);
                    io.herald.core.rest.RestResponse bare = io.herald.core.rest.RestResponse.empty(full.status());
                    full.headers().forEach((name, values) -> {
                        if (!name.equalsIgnoreCase("Content-Type")) {
                            values.forEach(v -> bare.header(name, v));
                        }
                    });
                    HttpReplies.write(ctx, bare, false, false);
                    return;
                }
                refuse(ctx);
                discarding = true;
                ReferenceCountUtil.release(msg);
                if (msg instanceof LastHttpContent) {
                    closeAfterAnswer(ctx);
                }
                return;
            }
        }
        if (msg instanceof HttpContent content) {
            if (discarding) {
                boolean last = msg instanceof LastHttpContent;
                ReferenceCountUtil.release(msg);
                if (last) {
                    closeAfterAnswer(ctx);
                }
                return;
            }
            seen += content.content().readableBytes();
            if (seen > max) {
                refuse(ctx);
                discarding = true;
                boolean last = msg instanceof LastHttpContent;
                ReferenceCountUtil.release(msg);
                if (last) {
                    closeAfterAnswer(ctx);
                }
                return;
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx) {
        if (answered) {
            return;
        }
        answered = true;
        // answered now (Connection: close), closed once the rest of the body has been read and dropped
        HttpReplies.send(ctx, node.transportError(tooLarge(), origin), false, false);
    }

    private io.herald.protocol.ErrorInfo tooLarge() {
        return ErrorCode.MESSAGE_TOO_LARGE.info("Request body larger than the limit of " + max + " bytes");
    }

    private void closeAfterAnswer(ChannelHandlerContext ctx) {
        discarding = false;
        ctx.writeAndFlush(io.netty.buffer.Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }
}

package io.herald.server.netty;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Which browser origins may call Herald. The REST API answers a request with an {@code Origin} by echoing it in
 * {@code Access-Control-Allow-Origin} with {@code Access-Control-Allow-Credentials: true}: ably-js needs both, since
 * it sends its {@code Authorization} header with {@code withCredentials} (XHR) or {@code credentials: "include"}
 * (fetch), and a browser drops a credentialed response whose allowed origin is {@code *}. Herald itself has no
 * ambient credentials (no cookies, no {@code WWW-Authenticate} prompt), so the echo only lets a page use credentials
 * it already holds. With {@code cors.allowedOrigins} configured, the echo is kept only for those origins: for any other
 * origin both headers are removed from every response, so browsers refuse it the answer.
 */
@ChannelHandler.Sharable
final class CorsPolicy extends ChannelOutboundHandlerAdapter {
    static final String NAME = "cors";

    private final Set<String> allowed;

    private CorsPolicy(Set<String> allowed) {
        this.allowed = allowed;
    }

    /** {@code null} when every origin is allowed (nothing to filter). */
    static @Nullable CorsPolicy of(@Nullable List<String> allowedOrigins) {
        if (allowedOrigins == null || allowedOrigins.contains("*")) {
            return null;
        }
        return new CorsPolicy(Set.copyOf(
                allowedOrigins.stream().map(o -> o.toLowerCase(Locale.ROOT)).toList()));
    }

    boolean allows(String origin) {
        return allowed.contains(origin.toLowerCase(Locale.ROOT));
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (msg instanceof HttpResponse r) {
            String echoed = r.headers().get(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN);
            if (echoed != null && !echoed.equals("*") && !allows(echoed)) {
                r.headers().remove(HttpHeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN);
                r.headers().remove(HttpHeaderNames.ACCESS_CONTROL_ALLOW_CREDENTIALS);
            }
        }
        super.write(ctx, msg, promise);
    }
}

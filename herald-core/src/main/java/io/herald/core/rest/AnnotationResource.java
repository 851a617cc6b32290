package io.herald.core.rest;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.auth.Operations;
import io.herald.core.annotations.AnnotationPublisher;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.ChannelPolicy;
import io.herald.core.config.Limits;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.Summaries;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.core.security.RateLimits;
import io.herald.protocol.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code /channels/{name}/messages/{serial}/annotations}: publish or delete annotations ({@code POST}, SPEC RSAN1,
 * RSAN2) and read a message's annotations in pages ({@code GET}, RSAN3), on channels with mutable messages
 * (docs/protocol.md §7.10).
 */
final class AnnotationResource {
    private final Authenticator authenticator;
    private final Engine engine;
    private final ChannelPolicy policy;
    private final Function<String, Limits> limits;
    private final Clock clock;
    private final RateLimits rateLimits;

    AnnotationResource(
            Authenticator authenticator,
            Engine engine,
            ChannelPolicy policy,
            Function<String, Limits> limits,
            Clock clock,
            RateLimits rateLimits) {
        this.authenticator = authenticator;
        this.engine = engine;
        this.policy = policy;
        this.limits = limits;
        this.clock = clock;
        this.rateLimits = rateLimits;
    }

    /** {@code POST …/annotations}: one annotation or an array of them; answers {@code 201 {"serials":[…]}}. */
    CompletionStage<RestResponse> publish(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        String serial = call.segment(3);
        var body = call.bodyTree();
        rateLimits.restPublish(auth.keyName(), body.isArray() ? Math.max(1, body.size()) : 1);
        var caller = new AnnotationPublisher.Caller(
                call.publisher(auth, name.base()), op -> auth.capability().allows(name.base(), op));
        return AnnotationPublisher.publish(
                        engine,
                        policy,
                        auth.appId(),
                        name,
                        body,
                        serial,
                        caller,
                        limits.apply(auth.appId()).maxMessageSize(),
                        clock.millis(),
                        Ids.urlSafe(12))
                .thenApply(serials -> {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("serials", serials);
                    return call.ok(201, out);
                });
    }

    /**
     * {@code GET …/annotations}: the message's annotations oldest first, {@code limit} (default 100, up to 1,000) a
     * page, with {@code Link} headers to the next page. Needs {@code annotation-subscribe}: these are the individual
     * annotations, which realtime gives only to that capability.
     */
    CompletionStage<RestResponse> get(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        ChannelResource.require(auth, name, Operations.ANNOTATION_SUBSCRIBE);
        String serial = call.segment(3);
        int limit = number(call.param("limit"), 100, 1, 1000, "limit");
        int offset = number(call.param("cursor"), 0, 0, Integer.MAX_VALUE, "cursor");
        return Summaries.read(engine.history(), new ChannelId(auth.appId(), name.base()), serial)
                .thenApply(found -> {
                    if (found == null) {
                        throw new AblyException(
                                ErrorCode.NOT_FOUND,
                                "No message with serial '" + serial + "' on channel '" + name.base() + "'");
                    }
                    List<ObjectNode> all = found.annotations();
                    int from = Math.min(offset, all.size());
                    int to = Math.min(all.size(), from + limit);
                    RestResponse r = call.ok(200, all.subList(from, to));
                    r.header("Link", link(limit, null, "first"));
                    r.header("Link", link(limit, from == 0 ? null : String.valueOf(from), "current"));
                    if (to < all.size()) {
                        r.header("Link", link(limit, String.valueOf(to), "next"));
                    }
                    return r;
                });
    }

    private static String link(int limit, @Nullable String cursor, String rel) {
        StringBuilder sb = new StringBuilder("<./annotations?limit=").append(limit);
        if (cursor != null) {
            sb.append("&cursor=").append(URLEncoder.encode(cursor, StandardCharsets.UTF_8));
        }
        return sb.append(">; rel=\"").append(rel).append('"').toString();
    }

    private static int number(@Nullable String value, int dflt, int min, int max, String param) {
        if (value == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new AblyException(
                ErrorCode.INVALID_PARAMETER_VALUE,
                param + " must be a whole number from " + min + " to " + max + ", got " + value);
    }
}

package io.herald.core.rest;

import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.OccupancyCounts;
import io.herald.core.hub.OccupancyMetrics;
import io.herald.core.internal.AblyException;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.protocol.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * Channel metadata over REST (docs/protocol.md §10.5): {@code GET /channels/{name}}, a channel's ChannelDetails with
 * its occupancy over every node (SPEC RSL8, CHD2), and {@code GET /channels}, the enumeration of the app's active
 * channels ({@code prefix}, {@code limit}, {@code by=id|value}, Link paging). Both need the channel-metadata
 * capability: on the channel for one, on {@code *} for the enumeration.
 */
final class ChannelMetadata {
    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;
    private static final int MAX_PREFIX = 2048;

    private final Authenticator authenticator;
    private final Engine engine;

    ChannelMetadata(Authenticator authenticator, Engine engine) {
        this.authenticator = authenticator;
        this.engine = engine;
    }

    /** {@code GET /channels/{name}}. */
    CompletionStage<RestResponse> status(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        ChannelResource.require(auth, name, Operations.CHANNEL_METADATA);
        return details(new ChannelId(auth.appId(), name.base())).thenApply(d -> call.ok(200, d));
    }

    /** The ChannelDetails of one channel: {@code channelId}, {@code name}, {@code status.isActive}, the occupancy. */
    private CompletableFuture<Map<String, Object>> details(ChannelId id) {
        CompletableFuture<OccupancyCounts> total = engine.occupancy().total(id).toCompletableFuture();
        CompletableFuture<Integer> members =
                engine.presence().members(id).thenApply(s -> s.members().size()).toCompletableFuture();
        return total.thenCombine(
                members,
                (counts, present) -> OccupancyMetrics.channelDetails(
                        id.name(), null, counts.connections() > 0 || present > 0, counts, present));
    }

    /** {@code GET /channels}. */
    CompletionStage<RestResponse> list(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        if (call.request.path().endsWith("/")) {
            // "/channels/" names the empty channel, not the enumeration
            throw new AblyException(ErrorCode.INVALID_CHANNEL_NAME, "Channel name must not be empty");
        }
        if (!auth.capability().allows("*", Operations.CHANNEL_METADATA)) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    "Operation not permitted: enumerating channels needs channel-metadata on '*', which the"
                            + " capability " + auth.capability().canonical() + " does not grant");
        }
        int limit = limit(call.param("limit"));
        String prefix = call.param("prefix");
        if (prefix == null) {
            prefix = "";
        }
        if (prefix.length() > MAX_PREFIX) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "prefix is longer than " + MAX_PREFIX);
        }
        boolean byValue = byValue(call.param("by"), call.request.headers().get("x-ably-version"));
        String cursor = call.param("cursor");
        if (cursor != null && cursor.length() > MAX_PREFIX) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid cursor");
        }
        String from = prefix;
        String by = byValue ? "value" : "id";
        return engine.occupancy().active(auth.appId(), prefix, cursor, limit).thenCompose(page -> {
            CompletableFuture<List<Object>> items;
            if (byValue) {
                List<CompletableFuture<Map<String, Object>>> all = new ArrayList<>();
                for (String n : page.names()) {
                    all.add(details(new ChannelId(auth.appId(), n)));
                }
                items = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new))
                        .thenApply(v -> {
                            List<Object> out = new ArrayList<>();
                            all.forEach(f -> out.add(f.join()));
                            return out;
                        });
            } else {
                items = CompletableFuture.completedFuture(new ArrayList<>(page.names()));
            }
            return items.thenApply(list -> {
                RestResponse r = call.ok(200, list);
                Map<String, String> base = new LinkedHashMap<>();
                base.put("limit", String.valueOf(limit));
                if (!from.isEmpty()) {
                    base.put("prefix", from);
                }
                base.put("by", by);
                r.header("Link", link(base, null, "first"));
                r.header("Link", link(base, cursor, "current"));
                if (page.next() != null) {
                    r.header("Link", link(base, page.next(), "next"));
                }
                return r;
            });
        });
    }

    static int limit(@Nullable String v) {
        if (v == null) {
            return DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new AblyException(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "Invalid limit '" + v + "': expected a whole number from 1 to " + MAX_LIMIT);
    }

    /** {@code by}: {@code id} or {@code value}; without it, value for protocol version 2 and lower, id above. */
    static boolean byValue(@Nullable String by, @Nullable String version) {
        if (by == null) {
            return BatchResource.legacyVersion(version);
        }
        return switch (by) {
            case "id" -> false;
            case "value" -> true;
            default ->
                throw new AblyException(
                        ErrorCode.INVALID_PARAMETER_VALUE, "Invalid by '" + by + "': expected id or value");
        };
    }

    private static String link(Map<String, String> base, @Nullable String cursor, String rel) {
        StringBuilder sb = new StringBuilder("<./channels?");
        boolean first = true;
        for (Map.Entry<String, String> e : base.entrySet()) {
            sb.append(first ? "" : "&").append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            first = false;
        }
        if (cursor != null) {
            sb.append("&cursor=").append(enc(cursor));
        }
        return sb.append(">; rel=\"").append(rel).append('"').toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}

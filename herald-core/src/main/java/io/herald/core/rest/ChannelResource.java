package io.herald.core.rest;

import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.ChannelPolicy;
import io.herald.core.channel.ConnectionDirectory;
import io.herald.core.channel.MessageRules;
import io.herald.core.config.Limits;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.history.HistoryParams;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.jspecify.annotations.Nullable;

/**
 * {@code /channels/{name}/…}: publish (SPEC RSL1), history (RSL2), presence get (RSP3) and presence history (RSP4),
 * and channel status (RSL8). Each checks the capability for its operation (40160).
 */
public final class ChannelResource {
    private final io.herald.core.security.RateLimits rateLimits;
    private final Authenticator authenticator;
    private final Engine engine;
    private final ChannelPolicy policy;
    private final ConnectionDirectory connections;
    private final java.util.function.Function<String, Limits> limits;
    private final Clock clock;
    private final io.herald.core.observe.Observer observer;
    /** {@code /channels/{name}/messages/{serial}…}: mutable messages. */
    final MessageResource messages;
    /** {@code /channels/{name}/messages/{serial}/annotations}: message annotations. */
    final AnnotationResource annotations;
    /** {@code /channels/{name}/object…}: the REST objects API (LiveObjects). */
    final ObjectResource objects;

    private final ChannelMetadata metadata;

    private volatile io.herald.core.observe.@org.jspecify.annotations.Nullable AppStats stats;

    public ChannelResource(
            Authenticator authenticator,
            Engine engine,
            ChannelPolicy policy,
            ConnectionDirectory connections,
            java.util.function.Function<String, Limits> limits,
            Clock clock,
            io.herald.core.observe.Observer observer,
            io.herald.core.security.RateLimits rateLimits) {
        this.observer = observer;
        this.rateLimits = rateLimits;
        this.authenticator = authenticator;
        this.engine = engine;
        this.policy = policy;
        this.connections = connections;
        this.limits = limits;
        this.clock = clock;
        this.messages = new MessageResource(authenticator, engine, policy, limits, clock);
        this.metadata = new ChannelMetadata(authenticator, engine);
        this.annotations = new AnnotationResource(authenticator, engine, policy, limits, clock, rateLimits);
        this.objects = new ObjectResource(authenticator, engine, policy, limits, clock, rateLimits);
    }

    /** Counts REST publishes in the apps' usage statistics. */
    public void countInto(io.herald.core.observe.AppStats appStats) {
        this.stats = appStats;
    }

    /** Refuses (40160) an operation the credentials' capability does not allow on the channel. */
    public static void require(AuthContext auth, ChannelName name, String operation) {
        if (operation.equals(Operations.PUBLISH)) {
            io.herald.core.channel.MessageRules.checkNotMeta(name, "publish");
        }
        if (!auth.capability().allows(name.base(), operation)) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    "Operation not permitted: " + operation + " on channel '" + name.base()
                            + "' is not allowed by the capability "
                            + auth.capability().canonical());
        }
    }

    CompletionStage<RestResponse> publish(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        require(auth, name, Operations.PUBLISH);
        if (name.filter() != null) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "Cannot publish to a derived (filtered) channel");
        }
        List<Message> messages = call.bodyCodec().decodeMessages(call.request.body());
        return publish(auth, call.publisher(auth), name, messages).thenApply(o -> {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("channel", name.full());
            body.put("messageId", o.messageId());
            body.put("serials", o.outcome().serials());
            return call.ok(201, body);
        });
    }

    /** What a REST publish returns. */
    public record Published(String messageId, PublishOutcome outcome) {}

    /** Publishes messages on a channel for a REST client (also used by batch publish and the Chat API). */
    public CompletionStage<Published> publish(
            AuthContext auth, MessageRules.Publisher publisher, ChannelName name, List<Message> messages) {
        MessageRules.Publisher on = publisher.withUserClaim(auth.userClaims().forChannel(name.base()));
        if (messages.isEmpty()) {
            throw new AblyException(ErrorCode.INVALID_REQUEST_BODY, "No messages to publish");
        }
        MessageRules.checkSize(messages, limits.apply(auth.appId()).maxMessageSize());
        rateLimits.restPublish(auth.keyName(), messages.size());
        List<CompletableFuture<String>> onBehalf = new ArrayList<>(messages.size());
        for (Message m : messages) {
            onBehalf.add(
                    m.connectionKey == null
                            ? CompletableFuture.completedFuture(null)
                            : connectionIdOf(auth, m.connectionKey));
        }
        return CompletableFuture.allOf(onBehalf.toArray(CompletableFuture[]::new))
                .thenCompose(v -> {
                    long now = clock.millis();
                    String prefix = Ids.urlSafe(12);
                    boolean idempotent = MessageRules.complete(messages, on, prefix, now);
                    for (int i = 0; i < messages.size(); i++) {
                        String connectionId = onBehalf.get(i).join();
                        if (connectionId != null) {
                            messages.get(i).connectionId = connectionId;
                        }
                    }
                    ProtocolMessage event = ProtocolMessage.of(Action.MESSAGE, name.base());
                    event.id = prefix;
                    event.timestamp = now;
                    event.messages = messages;
                    ChannelId id = new ChannelId(auth.appId(), name.base());
                    observer.messagesIn(messages.size());
                    io.herald.core.observe.AppStats s = stats;
                    if (s != null) {
                        s.messages(
                                auth.appId(),
                                true,
                                true,
                                false,
                                messages.size(),
                                io.herald.core.observe.AppStats.dataBytes(event));
                    }
                    long t0 = System.nanoTime();
                    return engine.broker()
                            .publish(new PublishRequest(id, event, policy.retention(auth.appId(), name), idempotent))
                            .whenComplete((o, t) -> observer.engineCall("publish", System.nanoTime() - t0, t == null))
                            .thenApply(o -> {
                                // complete() gave every message without an id one: prefix:index
                                String firstId = messages.get(0).id;
                                return new Published(
                                        firstId == null || firstId.equals(prefix + ":0") ? prefix : firstId, o);
                            });
                });
    }

    /**
     * The connection a REST message is published on behalf of (TM2h): on this node, or, with a shared engine, on
     * another node (from its connection record); 40006 when no live connection of the app has that key.
     */
    private CompletableFuture<String> connectionIdOf(AuthContext auth, String connectionKey) {
        ConnectionDirectory.ConnectionRef ref = connections.byKey(connectionKey);
        if (ref != null) {
            return ref.appId().equals(auth.appId())
                    ? CompletableFuture.completedFuture(ref.connectionId())
                    : CompletableFuture.failedFuture(invalidConnectionKey());
        }
        int bang = connectionKey.indexOf('!');
        if (bang <= 0) {
            return CompletableFuture.failedFuture(invalidConnectionKey());
        }
        long now = clock.millis();
        return engine.connections()
                .load(connectionKey.substring(0, bang))
                .toCompletableFuture()
                .thenApply(r -> {
                    if (r == null
                            || !r.connectionKey().equals(connectionKey)
                            || !r.appId().equals(auth.appId())
                            || r.expiresAt() <= now) {
                        throw invalidConnectionKey();
                    }
                    return r.connectionId();
                });
    }

    private static AblyException invalidConnectionKey() {
        return new AblyException(
                ErrorCode.INVALID_CONNECTION_ID, "Invalid connectionKey: no live connection has that key");
    }

    CompletionStage<RestResponse> history(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        require(auth, name, Operations.HISTORY);
        HistoryQuery q = HistoryParams.parse(HistoryQuery.Kind.MESSAGES, call.request.query());
        ChannelId id = new ChannelId(auth.appId(), name.base());
        boolean mutable = policy.isMutable(auth.appId(), name);
        return io.herald.core.history.Ephemeral.query(engine.history(), id, q)
                // on a mutable channel, each message as it stands now, where it was first published (§7.8)
                .thenCompose(page -> mutable
                        ? io.herald.core.engine.Versions.latest(engine.history(), id, page)
                        : CompletableFuture.completedFuture(page))
                .thenApply(page -> {
                    List<Message> items = new ArrayList<>(page.items().size());
                    for (HistoryItem i : page.items()) {
                        items.add((Message) i.item());
                    }
                    return withLinks(
                            call.okBytes(
                                    200, ProtocolCodec.of(call.responseFormat).encodeMessages(items)),
                            "messages",
                            q,
                            page);
                });
    }

    CompletionStage<RestResponse> presenceHistory(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        require(auth, name, Operations.HISTORY);
        HistoryQuery q = HistoryParams.parse(HistoryQuery.Kind.PRESENCE, call.request.query());
        ChannelId id = new ChannelId(auth.appId(), name.base());
        return engine.history().query(id, q).thenApply(page -> {
            List<PresenceMessage> items = new ArrayList<>(page.items().size());
            for (HistoryItem i : page.items()) {
                items.add((PresenceMessage) i.item());
            }
            return withLinks(
                    call.okBytes(200, ProtocolCodec.of(call.responseFormat).encodePresenceMessages(items)),
                    "history",
                    q,
                    page);
        });
    }

    private static RestResponse withLinks(RestResponse r, String resource, HistoryQuery q, HistoryPage page) {
        for (String link : HistoryParams.links(resource, q, page)) {
            r.header("Link", link);
        }
        return r;
    }

    /** {@code GET /channels/{name}/presence}: the members, filtered by {@code clientId}/{@code connectionId}. */
    CompletionStage<RestResponse> presence(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        require(auth, name, Operations.SUBSCRIBE);
        int limit = limit(call.param("limit"));
        int offset = offset(call.param("cursor"));
        String clientId = call.param("clientId");
        String connectionId = call.param("connectionId");
        ChannelId id = new ChannelId(auth.appId(), name.base());
        return engine.presence().members(id).thenApply(snapshot -> {
            List<PresenceMessage> all = new ArrayList<>();
            for (PresenceMessage m : snapshot.members()) {
                if ((clientId == null || clientId.equals(m.clientId))
                        && (connectionId == null || connectionId.equals(m.connectionId))) {
                    all.add(m);
                }
            }
            int from = Math.min(offset, all.size());
            int to = Math.min(all.size(), from + limit);
            RestResponse r = call.okBytes(
                    200, ProtocolCodec.of(call.responseFormat).encodePresenceMessages(all.subList(from, to)));
            Map<String, String> base = new LinkedHashMap<>();
            base.put("limit", String.valueOf(limit));
            if (clientId != null) {
                base.put("clientId", clientId);
            }
            if (connectionId != null) {
                base.put("connectionId", connectionId);
            }
            r.header("Link", presenceLink(base, null, "first"));
            r.header("Link", presenceLink(base, offset == 0 ? null : String.valueOf(offset), "current"));
            if (to < all.size()) {
                r.header("Link", presenceLink(base, String.valueOf(to), "next"));
            }
            return r;
        });
    }

    private static String presenceLink(Map<String, String> base, @Nullable String cursor, String rel) {
        StringBuilder sb = new StringBuilder("<./presence?");
        boolean first = true;
        for (Map.Entry<String, String> e : base.entrySet()) {
            sb.append(first ? "" : "&").append(enc(e.getKey())).append('=').append(enc(e.getValue()));
            first = false;
        }
        if (cursor != null) {
            sb.append("&cursor=").append(cursor);
        }
        return sb.append(">; rel=\"").append(rel).append('"').toString();
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static int limit(@Nullable String v) {
        if (v == null) {
            return HistoryParams.DEFAULT_LIMIT;
        }
        try {
            int l = Integer.parseInt(v.trim());
            if (l >= 1 && l <= HistoryParams.MAX_LIMIT) {
                return l;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new AblyException(
                ErrorCode.INVALID_PARAMETER_VALUE,
                "limit must be between 1 and " + HistoryParams.MAX_LIMIT + ", got '" + v + "'");
    }

    private static int offset(@Nullable String v) {
        if (v == null) {
            return 0;
        }
        try {
            int o = Integer.parseInt(v.trim());
            if (o >= 0) {
                return o;
            }
        } catch (NumberFormatException e) {
            // fall through
        }
        throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid cursor '" + v + "'");
    }

    /** {@code GET /channels/{name}}: ChannelDetails (SPEC RSL8, CHD2) with every node's occupancy. */
    CompletionStage<RestResponse> status(RestCall call) {
        return metadata.status(call);
    }

    /** {@code GET /channels}: the app's active channels. */
    CompletionStage<RestResponse> list(RestCall call) {
        return metadata.list(call);
    }
}

package io.herald.core.rest;

import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.ChannelPolicy;
import io.herald.core.channel.MessageRules;
import io.herald.core.config.Limits;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.ObjectsRequest;
import io.herald.core.engine.ObjectsStore;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.objects.ObjectId;
import io.herald.core.objects.ObjectMessage;
import io.herald.core.objects.ObjectPath;
import io.herald.core.objects.ObjectsTree;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ProtocolMessage;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The REST objects API (docs/liveobjects.md, "REST objects API"), what ably-js 2.26's {@code RestObject} calls:
 *
 * <ul>
 *   <li>{@code GET /channels/{name}/object[/{objectId}]?path=&compact=}: the compact (default) or full view of an
 *       object (the root unless named), or of what {@code path} points at below it; {@code object-subscribe};
 *   <li>{@code POST /channels/{name}/object}: one operation or a batch ({@link ObjectOpsParser}), planned into
 *       realtime operations ({@link ObjectOpsPlanner}) and applied as one OBJECT message through the engine's objects
 *       store, exactly as a realtime client's OBJECT is, so subscribers receive it with the same serials;
 *       {@code object-publish}. Answers {@code {messageId, channel, objectIds}}.
 * </ul>
 *
 * Operations count in the key's REST publish rate ({@code maxRestPublishesPerSecond}, 42910 beyond). {@code /objects}
 * (plural, Ably's earlier name) answers the same.
 */
final class ObjectResource {
    private final Authenticator authenticator;
    private final Engine engine;
    private final ChannelPolicy policy;
    private final Function<String, Limits> limits;
    private final Clock clock;
    private final io.herald.core.security.RateLimits rateLimits;
    private final RecentObjectOps recent = new RecentObjectOps();

    ObjectResource(
            Authenticator authenticator,
            Engine engine,
            ChannelPolicy policy,
            Function<String, Limits> limits,
            Clock clock,
            io.herald.core.security.RateLimits rateLimits) {
        this.authenticator = authenticator;
        this.engine = engine;
        this.policy = policy;
        this.limits = limits;
        this.clock = clock;
        this.rateLimits = rateLimits;
    }

    /** {@code GET /channels/{name}/object[/{objectId}]}. */
    CompletionStage<RestResponse> get(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        ChannelResource.require(auth, name, Operations.OBJECT_SUBSCRIBE);
        ObjectsStore store = store();
        boolean compact = flag(call.param("compact"));
        String objectId = call.segments.size() > 3 ? call.segment(3) : call.param("objectId");
        String start = objectId == null || objectId.isEmpty() ? ObjectId.ROOT : objectId;
        String pathText = call.param("path");
        ObjectPath path = ObjectPath.parse(pathText == null ? "" : pathText);
        return store.snapshot(new ChannelId(auth.appId(), name.base())).thenApply(s -> {
            ObjectsTree tree = ObjectsTree.of(s.objects());
            ObjectsTree.Node node = tree.resolve(start, path);
            return call.ok(200, compact ? tree.compact(node) : tree.full(node));
        });
    }

    /** {@code POST /channels/{name}/object}. */
    CompletionStage<RestResponse> publish(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        MessageRules.checkNotMeta(name, "publish objects");
        ChannelResource.require(auth, name, Operations.OBJECT_PUBLISH);
        if (name.filter() != null) {
            throw new AblyException(
                    ErrorCode.BAD_REQUEST,
                    "Cannot publish objects on a derived (filtered) channel; use " + name.base());
        }
        ObjectsStore store = store();
        String clientId = call.publisher(auth, name.base()).clientId();
        List<ObjectOpsParser.Op> ops = ObjectOpsParser.parse(call.bodyTree());
        ChannelId channel = new ChannelId(auth.appId(), name.base());
        boolean needsTree = ops.stream().anyMatch(o -> o.path() != null);
        CompletionStage<@Nullable ObjectsTree> tree = needsTree
                ? store.snapshot(channel).thenApply(s -> ObjectsTree.of(s.objects()))
                : CompletableFuture.completedFuture(null);
        return tree.thenCompose(t -> publish(call, auth, name, channel, clientId, ops, t));
    }

    private CompletionStage<RestResponse> publish(
            RestCall call,
            AuthContext auth,
            ChannelName name,
            ChannelId channel,
            @Nullable String clientId,
            List<ObjectOpsParser.Op> ops,
            @Nullable ObjectsTree tree) {
        long now = clock.millis();
        String prefix = Ids.urlSafe(12);
        // per operation, in order: the objects it created or changed (a repeat's come from the first time)
        List<CompletableFuture<List<String>>> objectIds = new ArrayList<>();
        CompletableFuture<RecentObjectOps.Result> firstRepeat = null;
        Map<String, CompletableFuture<RecentObjectOps.Result>> mine = new LinkedHashMap<>();
        Map<String, List<String>> idsByKey = new LinkedHashMap<>();
        List<ObjectMessage> messages = new ArrayList<>();
        try {
            for (ObjectOpsParser.Op op : ops) {
                String key = op.id() == null ? null : RecentObjectOps.key(auth.appId(), name.base(), op.id());
                if (key != null) {
                    CompletableFuture<RecentObjectOps.Result> f = new CompletableFuture<>();
                    CompletableFuture<RecentObjectOps.Result> before =
                            mine.containsKey(key) ? mine.get(key) : recent.claim(key, now, f);
                    if (before != null) {
                        objectIds.add(before.thenApply(RecentObjectOps.Result::objectIds));
                        firstRepeat = firstRepeat != null ? firstRepeat : before;
                        continue;
                    }
                    mine.put(key, f);
                }
                ObjectOpsPlanner.Planned planned = ObjectOpsPlanner.plan(op, tree, now);
                int n = planned.operations().size();
                for (int k = 0; k < n; k++) {
                    String id = op.id() == null ? prefix + ":" + messages.size() : n == 1 ? op.id() : op.id() + ":" + k;
                    messages.add(new ObjectMessage(
                            id,
                            clientId,
                            null,
                            now,
                            null,
                            null,
                            null,
                            null,
                            planned.operations().get(k),
                            null));
                }
                objectIds.add(CompletableFuture.completedFuture(planned.objectIds()));
                if (key != null) {
                    idsByKey.put(key, planned.objectIds());
                }
            }
            checkSize(auth, messages);
            if (!messages.isEmpty()) {
                rateLimits.restPublish(auth.keyName(), messages.size());
            }
        } catch (RuntimeException e) {
            settle(mine, e);
            throw e;
        }
        if (messages.isEmpty() && firstRepeat != null) {
            // every operation was a repeat: answer as the first time
            return firstRepeat.thenCompose(first -> respond(call, name, first.messageId(), objectIds));
        }
        ProtocolMessage event = ProtocolMessage.of(Action.OBJECT, name.base());
        event.id = prefix;
        event.timestamp = now;
        ObjectsRequest request = new ObjectsRequest(channel, event, messages, policy.retention(auth.appId(), name));
        return engine.objects()
                .apply(request)
                .handle((outcome, failure) -> {
                    if (failure != null) {
                        settle(mine, failure);
                        throw failure instanceof RuntimeException r
                                ? r
                                : new java.util.concurrent.CompletionException(failure);
                    }
                    mine.forEach((key, f) ->
                            f.complete(new RecentObjectOps.Result(prefix, idsByKey.getOrDefault(key, List.of()))));
                    return prefix;
                })
                .thenCompose(messageId -> respond(call, name, messageId, objectIds));
    }

    /**
     * Releases the ids this request claimed after it failed, and fails their results, so a retry may apply them and a
     * concurrent repeat waiting on them is answered.
     */
    private void settle(Map<String, CompletableFuture<RecentObjectOps.Result>> mine, Throwable failure) {
        mine.forEach((key, f) -> {
            recent.release(key, f);
            f.completeExceptionally(failure);
        });
    }

    private static CompletionStage<RestResponse> respond(
            RestCall call, ChannelName name, String messageId, List<CompletableFuture<List<String>>> objectIds) {
        return CompletableFuture.allOf(objectIds.toArray(CompletableFuture[]::new))
                .thenApply(v -> {
                    List<String> all = new ArrayList<>();
                    objectIds.forEach(f -> all.addAll(f.join()));
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("messageId", messageId);
                    body.put("channel", name.base());
                    body.put("objectIds", all);
                    return call.ok(201, body);
                });
    }

    /** 40009 when the operations are larger than the app's maximum message size (as for a realtime OBJECT). */
    private void checkSize(AuthContext auth, List<ObjectMessage> messages) {
        long size = 0;
        for (ObjectMessage m : messages) {
            size += m.size();
        }
        int max = limits.apply(auth.appId()).maxMessageSize();
        if (size > max) {
            throw new AblyException(
                    ErrorCode.MESSAGE_TOO_LARGE,
                    "Object operations of " + size + " bytes exceed the maximum message size of " + max + " bytes");
        }
    }

    private ObjectsStore store() {
        ObjectsStore store = engine.objects();
        if (!store.supported()) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "LiveObjects is not supported by this server's engine");
        }
        return store;
    }

    /** The {@code compact} parameter: true unless {@code false}; 40003 for anything but a boolean. */
    private static boolean flag(@Nullable String value) {
        if (value == null || value.isEmpty() || value.equals("true")) {
            return true;
        }
        if (value.equals("false")) {
            return false;
        }
        throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "compact must be true or false");
    }
}

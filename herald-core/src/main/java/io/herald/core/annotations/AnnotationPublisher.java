package io.herald.core.annotations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.ChannelPolicy;
import io.herald.core.channel.MessageRules;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Summaries;
import io.herald.core.engine.Versions;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Stages;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Publishing and deleting annotations (docs/protocol.md §7.10; SPEC RSAN1, RSAN2, RTAN1, RTAN2), for realtime and
 * REST alike. The checks, in order: the annotation's fields (40003, 40012), the namespace's {@code mutableMessages}
 * (93002), the {@code annotation-publish} capability (40160), a clientId for the types that count clients (40161),
 * the size (40009), the annotated message (40400). Then each annotation becomes one event of the channel's log: a
 * MESSAGE whose one message is the annotated message's new summary (action 4, the message's serial), carrying the
 * annotation itself. Subscribers get the summary, those with ANNOTATION_SUBSCRIBE the annotation too
 * ({@link AnnotationViews}); reads fold the summary again from every annotation in the log.
 */
public final class AnnotationPublisher {
    /**
     * The annotation publishes of each channel on this node, in turn: each reads the annotations so far and publishes
     * the summary with its own added, so two at once on one node never make a summary that misses the other. Keyed
     * by app and channel, so sharing it between nodes in one JVM only orders them more.
     */
    private static final ConcurrentHashMap<ChannelId, CompletableFuture<Void>> TURNS = new ConcurrentHashMap<>();

    private AnnotationPublisher() {}

    /**
     * Who publishes.
     *
     * @param publisher the caller's identity, as for publishing messages
     * @param allows    whether the caller's capability allows an operation on this channel
     */
    public record Caller(MessageRules.Publisher publisher, Predicate<String> allows) {}

    /**
     * Checks and publishes annotations, one event each, in order. Returns each annotation's serial.
     *
     * @param raw        the annotations as sent (an array, or one object over REST)
     * @param pathSerial the annotated message's serial from a REST path, or {@code null} (realtime)
     * @param idPrefix   what annotations without an id are named after ({@code idPrefix:index})
     */
    public static CompletionStage<List<String>> publish(
            Engine engine,
            ChannelPolicy policy,
            String appId,
            ChannelName name,
            @Nullable JsonNode raw,
            @Nullable String pathSerial,
            Caller caller,
            int maxMessageSize,
            long now,
            String idPrefix) {
        if (name.filter() != null) {
            throw new AblyException(ErrorCode.BAD_REQUEST, "Unable to annotate on a derived (filtered) channel");
        }
        List<JsonNode> list = AnnotationRules.list(raw);
        List<ObjectNode> annotations = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            annotations.add(
                    AnnotationRules.normalize(list.get(i), pathSerial, caller.publisher(), now, idPrefix + ":" + i));
        }
        if (!policy.isMutable(appId, name)) {
            throw new AblyException(
                    ErrorCode.MUTABLE_MESSAGES_NOT_ENABLED,
                    "Unable to publish annotation: annotations are only supported on channels with message"
                            + " annotations, updates, deletes and appends (mutableMessages) enabled in channel namespace"
                            + " settings (channel '" + name.base() + "')");
        }
        if (!caller.allows().test(Operations.ANNOTATION_PUBLISH)) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    "Unable to publish annotation: the capability does not allow '" + Operations.ANNOTATION_PUBLISH
                            + "' on channel '" + name.base() + "'");
        }
        for (ObjectNode a : annotations) {
            String type = a.get("type").asText();
            if (AnnotationRules.needsClientId(type) && !a.hasNonNull("clientId")) {
                throw new AblyException(
                        ErrorCode.IDENTIFIED_CLIENT_REQUIRED,
                        "Unable to publish annotation: annotations of type '" + type
                                + "' count clients, so they need an identified client (a clientId)");
            }
            boolean create = a.get("action").asInt() == Summaries.CREATE;
            if (create && AnnotationRules.needsName(type) && !a.hasNonNull("name")) {
                throw AnnotationRules.invalid("annotations of type '" + type + "' need a name");
            }
            int size = AnnotationRules.size(a);
            if (size > maxMessageSize) {
                throw new AblyException(
                        ErrorCode.MESSAGE_TOO_LARGE,
                        "Maximum message length exceeded: annotation size " + size + " bytes is more than the limit of "
                                + maxMessageSize + " bytes");
            }
        }
        ChannelId id = new ChannelId(appId, name.base());
        CompletionStage<List<String>> chain = CompletableFuture.completedFuture(new ArrayList<>());
        for (ObjectNode a : annotations) {
            chain = chain.thenCompose(serials -> inTurn(id, () -> publishOne(engine, policy, appId, name, id, a, now))
                    .thenApply(serial -> {
                        serials.add(serial);
                        return serials;
                    }));
        }
        return chain;
    }

    private static CompletionStage<String> publishOne(
            Engine engine,
            ChannelPolicy policy,
            String appId,
            ChannelName name,
            ChannelId id,
            ObjectNode annotation,
            long now) {
        String serial = annotation.get("messageSerial").asText();
        return Summaries.read(engine.history(), id, serial).thenCompose(found -> {
            if (found == null) {
                throw new AblyException(
                        ErrorCode.NOT_FOUND,
                        "Unable to publish annotation: no message with serial '" + serial + "' on channel '"
                                + name.base() + "'");
            }
            List<JsonNode> all = new ArrayList<>(found.annotations());
            all.add(annotation);
            Message summary = new Message();
            summary.action = Versions.SUMMARY;
            summary.serial = serial;
            summary.id = found.original().id;
            summary.timestamp = found.original().timestamp;
            summary.annotations = Summaries.annotationsField(Summaries.fold(all));
            ProtocolMessage event = ProtocolMessage.of(Action.MESSAGE, name.base());
            event.id = annotation.get("id").asText();
            JsonNode connectionId = annotation.get("connectionId");
            event.connectionId = connectionId == null ? null : connectionId.asText();
            event.timestamp = now;
            event.messages = new ArrayList<>(List.of(summary));
            event.annotations = JsonNodeFactory.instance.arrayNode().add(annotation);
            return engine.broker()
                    .publish(new PublishRequest(id, event, policy.retention(appId, name), false))
                    .thenApply(o -> {
                        String s = o.serials().isEmpty() ? null : o.serials().get(0);
                        return s == null ? "" : s;
                    });
        });
    }

    /** Runs {@code work} once the channel's annotation publishes before it on this node are done. */
    private static <T> CompletionStage<T> inTurn(ChannelId id, Supplier<CompletionStage<T>> work) {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> before = TURNS.put(id, mine);
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletionStage<Void> previous = before == null ? Stages.done() : before;
        previous.whenComplete((v, ignored) -> Stages.guard(work).whenComplete((r, t) -> {
            TURNS.remove(id, mine);
            mine.complete(null);
            if (t != null) {
                result.completeExceptionally(t);
            } else {
                result.complete(r);
            }
        }));
        return result;
    }
}

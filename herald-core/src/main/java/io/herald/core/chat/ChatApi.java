package io.herald.core.chat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.auth.Operations;
import io.herald.core.annotations.AnnotationPublisher;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.ChannelPolicy;
import io.herald.core.config.Limits;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.engine.Summaries;
import io.herald.core.engine.Versions;
import io.herald.core.history.Ephemeral;
import io.herald.core.history.HistoryParams;
import io.herald.core.history.MessageOperations;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.rest.ChannelResource;
import io.herald.core.rest.RestApi;
import io.herald.core.rest.RestCall;
import io.herald.core.rest.RestResponse;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.core.security.RateLimits;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The Chat REST API, version 4 ({@code /chat/v4/rooms/{room}/…}), as {@code @ably/chat} calls it: send, history, one
 * message, update, delete and versions of messages; send and delete message reactions and a client's own reactions;
 * occupancy. A room is the channel {@code <room>::$chat}, whose messages are always mutable. Each route checks the
 * capability Ably asks for on that channel (40160): {@code publish} to send, {@code history} to read,
 * {@code message-update-own/any} and {@code message-delete-own/any} to change, {@code annotation-publish} to react,
 * {@code channel-metadata} for occupancy.
 */
public final class ChatApi {
    /** What a room's name is followed by in its channel's name. */
    public static final String ROOM_SUFFIX = "::$chat";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private final Authenticator authenticator;
    private final Engine engine;
    private final ChannelPolicy policy;
    private final ChannelResource channels;
    private final Function<String, Limits> limits;
    private final Clock clock;
    private final RateLimits rateLimits;

    public ChatApi(
            Authenticator authenticator,
            Engine engine,
            ChannelPolicy policy,
            ChannelResource channels,
            Function<String, Limits> limits,
            Clock clock,
            RateLimits rateLimits) {
        this.authenticator = authenticator;
        this.engine = engine;
        this.policy = policy;
        this.channels = channels;
        this.limits = limits;
        this.clock = clock;
        this.rateLimits = rateLimits;
    }

    /** Whether the channel is a chat room's (its messages are then always mutable, as on Ably). */
    public static boolean isRoomChannel(ChannelName name) {
        return name.base().endsWith(ROOM_SUFFIX) && name.base().length() > ROOM_SUFFIX.length();
    }

    /** Adds the Chat API's routes to {@code api}. */
    public void register(RestApi api) {
        String room = "/chat/v4/rooms/{room}";
        String message = room + "/messages/{serial}";
        api.route("POST", room + "/messages", this::send);
        api.route("GET", room + "/messages", this::history);
        api.route("GET", room + "/occupancy", this::occupancy);
        api.route("GET", message, this::get);
        api.route("PUT", message, this::update);
        api.route("POST", message + "/delete", this::delete);
        api.route("GET", message + "/versions", this::versions);
        api.route("POST", message + "/reactions", this::react);
        api.route("DELETE", message + "/reactions", this::unreact);
        api.route("GET", message + "/client-reactions", this::clientReactions);
    }

    /** The room's channel; 40010 for a room name that cannot be one (empty, or a {@code [qualifier]}). */
    static ChannelName channel(String room) {
        if (room.isEmpty() || room.charAt(0) == '[') {
            throw new AblyException(
                    ErrorCode.INVALID_CHANNEL_NAME, "Invalid room name '" + room + "': empty or starts with '['");
        }
        return ChannelName.parse(room + ROOM_SUFFIX);
    }

    /** {@code POST …/messages}: sends {@code {text, metadata?, headers?}}; answers 201 with the message. */
    CompletionStage<RestResponse> send(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = channel(call.segment(3));
        ChannelResource.require(auth, name, Operations.PUBLISH);
        JsonNode body = object(call.bodyTree());
        Message m = ChatMessages.content(body.get("text"), body.get("metadata"), body.get("headers"));
        String idempotencyKey = call.param("idempotencyKey");
        if (idempotencyKey != null && !idempotencyKey.isEmpty()) {
            m.id = idempotencyKey;
        }
        List<Message> messages = new ArrayList<>(List.of(m));
        return channels.publish(auth, call.publisher(auth), name, messages).thenApply(p -> {
            List<String> serials = p.outcome().serials();
            m.serial = serials.isEmpty() ? null : serials.get(0);
            m.action = Versions.CREATE;
            return call.ok(201, ChatMessages.rest(m));
        });
    }

    /**
     * {@code GET …/messages}: the room's messages as they stand now, newest first or with {@code direction=forwards}
     * oldest first, {@code limit} a page, between {@code start} and {@code end}, up to {@code fromSerial}; Link headers
     * lead to the next page. Ephemeral messages (typing, room reactions) are never in it.
     */
    CompletionStage<RestResponse> history(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = channel(call.segment(3));
        ChannelResource.require(auth, name, Operations.HISTORY);
        HistoryQuery q = HistoryParams.parse(HistoryQuery.Kind.MESSAGES, call.request.query());
        ChannelId id = new ChannelId(auth.appId(), name.base());
        return Ephemeral.query(engine.history(), id, q)
                .thenCompose(page -> Versions.latest(engine.history(), id, page))
                .thenApply(page -> {
                    ArrayNode items = F.arrayNode();
                    for (HistoryItem i : page.items()) {
                        if (i.item() instanceof Message m && ChatMessages.isChat(m)) {
                            items.add(ChatMessages.rest(m));
                        }
                    }
                    RestResponse r = call.ok(200, items);
                    for (String link : HistoryParams.links("messages", q, page)) {
                        r.header("Link", link);
                    }
                    return r;
                });
    }

    /** {@code GET …/messages/{serial}}: the message as it stands now, with its reactions; 404 (40400) if none. */
    CompletionStage<RestResponse> get(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = channel(call.segment(3));
        ChannelResource.require(auth, name, Operations.HISTORY);
        return current(new ChannelId(auth.appId(), name.base()), name, call.segment(5))
                .thenApply(m -> call.ok(200, ChatMessages.rest(m)));
    }

    /**
     * {@code GET …/messages/{serial}/versions}: every version of the message, oldest first (newest first with
     * {@code direction=backwards}), at most {@code limit} (default 100, up to 1,000).
     */
    CompletionStage<RestResponse> versions(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = channel(call.segment(3));
        ChannelResource.require(auth, name, Operations.HISTORY);
        String serial = call.segment(5);
        int limit = number(call.param("limit"), 100, 1, HistoryParams.MAX_LIMIT, "limit");
        String direction = call.param("direction");
        if (direction != null && !direction.equals("forwards") && !direction.equals("backwards")) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE, "direction must be forwards or backwards, got " + direction);
        }
        return engine.history()
                .versions(new ChannelId(auth.appId(), name.base()), serial)
                .thenApply(versions -> {
                    if (versions.isEmpty()) {
                        throw notFound(name, serial);
                    }
                    List<Message> all = new ArrayList<>(versions);
                    if ("backwards".equals(direction)) {
                        Collections.reverse(all);
                    }
                    ArrayNode items = F.arrayNode();
                    for (Message m : all.subList(0, Math.min(limit, all.size()))) {
                        items.add(ChatMessages.rest(m));
                    }
                    return call.ok(200, items);
                });
    }

    /**
     * {@code PUT …/messages/{serial}}: replaces the message's {@code text}, {@code metadata} and {@code headers}
     * (what the body leaves out is gone), with the operation's {@code description} and {@code metadata}; answers the
     * message as it now stands.
     */
    CompletionStage<RestResponse> update(RestCall call) {
        JsonNode body = object(call.bodyTree());
        JsonNode message = body.get("message");
        if (message == null || !message.isObject()) {
            throw ChatMessages.invalid("the body needs a message object");
        }
        Message op = ChatMessages.content(message.get("text"), message.get("metadata"), message.get("headers"));
        op.action = Versions.UPDATE;
        return operate(call, op, body);
    }

    /** {@code POST …/messages/{serial}/delete}: deletes the message; answers it as it now stands. */
    CompletionStage<RestResponse> delete(RestCall call) {
        JsonNode body = call.request.body().length == 0 ? F.objectNode() : object(call.bodyTree());
        Message op = new Message();
        op.action = Versions.DELETE;
        return operate(call, op, body);
    }

    private CompletionStage<RestResponse> operate(RestCall call, Message op, JsonNode body) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = channel(call.segment(3));
        String serial = call.segment(5);
        op.serial = serial;
        op.version = operation(body);
        var caller = new MessageOperations.Caller(
                call.publisher(auth, name.base()), o -> auth.capability().allows(name.base(), o), null);
        ChannelId id = new ChannelId(auth.appId(), name.base());
        return MessageOperations.perform(
                        engine,
                        policy,
                        auth.appId(),
                        name,
                        new ArrayList<>(List.of(op)),
                        caller,
                        limits.apply(auth.appId()).maxMessageSize(),
                        clock.millis(),
                        Ids.urlSafe(12))
                .thenCompose(o -> current(id, name, serial))
                .thenApply(m -> call.ok(200, ChatMessages.rest(m)));
    }

    /** The operation's {@code description} (a string) and {@code metadata} (an object of strings). */
    private static ObjectNode operation(JsonNode body) {
        ObjectNode v = F.objectNode();
        JsonNode description = body.get("description");
        if (description != null && !description.isNull()) {
            if (!description.isTextual()) {
                throw ChatMessages.invalid("description must be a string");
            }
            v.set("description", description);
        }
        JsonNode metadata = body.get("metadata");
        if (metadata != null && !metadata.isNull()) {
            if (!metadata.isObject()) {
                throw ChatMessages.invalid("the operation's metadata must be an object");
            }
            metadata.properties().forEach(e -> {
                if (!e.getValue().isTextual()) {
                    throw ChatMessages.invalid(
                            "the operation's metadata values must be strings ('" + e.getKey() + "' is not)");
                }
            });
            v.set("metadata", metadata);
        }
        return v;
    }

    /**
     * {@code POST …/messages/{serial}/reactions}: {@code {type, name, count?}} becomes an annotation of type
     * {@code reaction:<type>.v1} on the message; everyone in the room gets the new summary.
     */
    CompletionStage<RestResponse> react(RestCall call) {
        JsonNode body = object(call.bodyTree());
        String type = ChatMessages.annotationType(textOrNull(body.get("type")));
        ObjectNode a = F.objectNode();
        a.put("type", type);
        a.put("action", Summaries.CREATE);
        JsonNode n = body.get("name");
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw ChatMessages.invalid("a reaction needs a name (a non-empty string)");
        }
        a.set("name", n);
        JsonNode count = body.get("count");
        if (count != null && !count.isNull()) {
            if (!count.isIntegralNumber() || count.asLong() < 1 || count.asLong() > Integer.MAX_VALUE) {
                throw ChatMessages.invalid("count must be a positive whole number");
            }
            if (!type.equals(ChatMessages.MULTIPLE)) {
                throw ChatMessages.invalid("count is only for reactions of type multiple");
            }
            a.set("count", count);
        }
        return annotate(call, a, 201);
    }

    /**
     * {@code DELETE …/messages/{serial}/reactions?type=…&name=…}: removes the caller's reaction ({@code name} is needed
     * except for {@code unique}, where a client has only one).
     */
    CompletionStage<RestResponse> unreact(RestCall call) {
        String type = ChatMessages.annotationType(call.param("type"));
        ObjectNode a = F.objectNode();
        a.put("type", type);
        a.put("action", Summaries.DELETE);
        String n = call.param("name");
        if (n != null && !n.isEmpty()) {
            a.put("name", n);
        } else if (!type.equals(ChatMessages.UNIQUE)) {
            throw ChatMessages.invalid("deleting a reaction of this type needs its name");
        }
        return annotate(call, a, 200);
    }

    private CompletionStage<RestResponse> annotate(RestCall call, ObjectNode annotation, int status) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = channel(call.segment(3));
        String serial = call.segment(5);
        rateLimits.restPublish(auth.keyName(), 1);
        var caller = new AnnotationPublisher.Caller(
                call.publisher(auth, name.base()), op -> auth.capability().allows(name.base(), op));
        return AnnotationPublisher.publish(
                        engine,
                        policy,
                        auth.appId(),
                        name,
                        annotation,
                        serial,
                        caller,
                        limits.apply(auth.appId()).maxMessageSize(),
                        clock.millis(),
                        Ids.urlSafe(12))
                .thenApply(serials -> call.ok(status, F.objectNode()));
    }

    /**
     * {@code GET …/messages/{serial}/client-reactions?forClientId=…}: the reactions of one client (the caller's own
     * without {@code forClientId}) on the message, in the shape of a message's {@code reactions}.
     */
    CompletionStage<RestResponse> clientReactions(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = channel(call.segment(3));
        ChannelResource.require(auth, name, Operations.HISTORY);
        String serial = call.segment(5);
        String forClientId = call.param("forClientId");
        String clientId =
                forClientId != null ? forClientId : call.publisher(auth).clientId();
        return Summaries.read(engine.history(), new ChannelId(auth.appId(), name.base()), serial)
                .thenApply(found -> {
                    if (found == null) {
                        throw notFound(name, serial);
                    }
                    List<JsonNode> mine = new ArrayList<>();
                    for (ObjectNode a : found.annotations()) {
                        JsonNode c = a.get("clientId");
                        if (clientId != null && c != null && clientId.equals(c.asText())) {
                            mine.add(a);
                        }
                    }
                    return call.ok(200, ChatMessages.reactions(Summaries.fold(mine)));
                });
    }

    /** {@code GET …/occupancy}: {@code {connections, presenceMembers}} over every node. */
    CompletionStage<RestResponse> occupancy(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = channel(call.segment(3));
        ChannelResource.require(auth, name, Operations.CHANNEL_METADATA);
        ChannelId id = new ChannelId(auth.appId(), name.base());
        CompletableFuture<Integer> connections =
                engine.occupancy().total(id).thenApply(c -> c.connections()).toCompletableFuture();
        CompletableFuture<Integer> members =
                engine.presence().members(id).thenApply(s -> s.members().size()).toCompletableFuture();
        return connections.thenCombine(members, (c, p) -> {
            ObjectNode o = F.objectNode();
            o.put("connections", c);
            o.put("presenceMembers", p);
            return call.ok(200, o);
        });
    }

    /** The message's latest version with its reactions summary; 40400 when the room has no such message. */
    private CompletionStage<Message> current(ChannelId id, ChannelName name, String serial) {
        return engine.history().versions(id, serial).thenCompose(versions -> {
            if (versions.isEmpty()) {
                throw notFound(name, serial);
            }
            Message latest = versions.get(versions.size() - 1).copy();
            return Summaries.read(engine.history(), id, serial).thenApply(found -> {
                if (found != null && !found.annotations().isEmpty()) {
                    latest.annotations =
                            Summaries.annotationsField(Summaries.fold(new ArrayList<>(found.annotations())));
                }
                return latest;
            });
        });
    }

    private static AblyException notFound(ChannelName name, String serial) {
        String room = name.base().substring(0, name.base().length() - ROOM_SUFFIX.length());
        return new AblyException(ErrorCode.NOT_FOUND, "No message with serial '" + serial + "' in room '" + room + "'");
    }

    private static JsonNode object(JsonNode body) {
        if (!body.isObject()) {
            throw new AblyException(ErrorCode.INVALID_REQUEST_BODY, "The request body must be a JSON object");
        }
        return body;
    }

    private static @Nullable String textOrNull(@Nullable JsonNode n) {
        return n != null && n.isTextual() ? n.asText() : null;
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
                param + " must be a whole number from " + min + " to " + max + ", got " + Objects.toString(value));
    }
}

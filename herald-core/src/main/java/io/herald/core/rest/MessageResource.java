package io.herald.core.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.ChannelPolicy;
import io.herald.core.config.Limits;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.Versions;
import io.herald.core.history.MessageOperations;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Ids;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolCodec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * {@code /channels/{name}/messages/{serial}…}: one message's latest version (SPEC RSL11), its versions (RSL14), and
 * its update, delete or append ({@code PATCH}, RSL15), on channels with mutable messages (docs/protocol.md §7.8).
 */
final class MessageResource {
    private final Authenticator authenticator;
    private final Engine engine;
    private final ChannelPolicy policy;
    private final Function<String, Limits> limits;
    private final Clock clock;

    MessageResource(
            Authenticator authenticator,
            Engine engine,
            ChannelPolicy policy,
            Function<String, Limits> limits,
            Clock clock) {
        this.authenticator = authenticator;
        this.engine = engine;
        this.policy = policy;
        this.limits = limits;
        this.clock = clock;
    }

    /** {@code GET /channels/{name}/messages/{serial}}: the latest version. */
    CompletionStage<RestResponse> get(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        ChannelResource.require(auth, name, Operations.HISTORY);
        String serial = call.segment(3);
        return engine.history()
                .versions(new ChannelId(auth.appId(), name.base()), serial)
                .thenApply(versions -> {
                    if (versions.isEmpty()) {
                        throw notFound(name, serial);
                    }
                    return call.okBytes(
                            200,
                            ProtocolCodec.of(call.responseFormat).encodeMessage(versions.get(versions.size() - 1)));
                });
    }

    /**
     * {@code GET /channels/{name}/messages/{serial}/versions}: every version, oldest first (or newest first with
     * {@code direction=backwards}), at most {@code limit} (default 100, up to 1,000), one page.
     */
    CompletionStage<RestResponse> versions(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        ChannelResource.require(auth, name, Operations.HISTORY);
        String serial = call.segment(3);
        int limit = limit(call.param("limit"));
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
                    List<Message> items = new ArrayList<>(versions);
                    if ("backwards".equals(direction)) {
                        java.util.Collections.reverse(items);
                    }
                    items = items.subList(0, Math.min(limit, items.size()));
                    return call.okBytes(
                            200, ProtocolCodec.of(call.responseFormat).encodeMessages(items));
                });
    }

    /**
     * {@code PATCH /channels/{name}/messages/{serial}}: update, delete or append; answers {@code versionSerial}. A body
     * without {@code action} is an update, as ably-java 1.5 sends it.
     */
    CompletionStage<RestResponse> patch(RestCall call) {
        return operate(call, Versions.UPDATE);
    }

    /** {@code POST /channels/{name}/messages/{serial}/delete}: a delete in the form ably-java 1.5 sends. */
    CompletionStage<RestResponse> delete(RestCall call) {
        return operate(call, Versions.DELETE);
    }

    private CompletionStage<RestResponse> operate(RestCall call, int defaultAction) {
        AuthContext auth = call.authenticate(authenticator);
        ChannelName name = ChannelName.parse(call.segment(1));
        String serial = call.segment(3);
        if (call.request.body().length == 0) {
            throw new AblyException(ErrorCode.INVALID_REQUEST_BODY, "Request body is missing");
        }
        List<Message> messages = call.bodyCodec().decodeMessages(call.request.body());
        if (messages.size() != 1) {
            throw new AblyException(ErrorCode.INVALID_REQUEST_BODY, "The body must be one message");
        }
        Message m = messages.get(0);
        if (m.action == null) {
            m.action = defaultAction;
        } else if (defaultAction == Versions.DELETE && m.action != Versions.DELETE) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "POST …/delete deletes a message; its body's action must be message.delete (2) or absent");
        }
        if (m.version == null) {
            // ably-java 1.5 names the version's clientId, description and metadata "operation"
            JsonNode tree = call.bodyTree();
            JsonNode operation = tree.isObject() ? tree.get("operation") : null;
            if (operation != null && operation.isObject()) {
                m.version = operation;
            }
        }
        if (m.serial != null && !Versions.sameSerial(m.serial, serial)) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "The message's serial '" + m.serial + "' is not the one in the path ('" + serial + "')");
        }
        m.serial = serial;
        var caller = new MessageOperations.Caller(
                call.publisher(auth, name.base()), op -> auth.capability().allows(name.base(), op), null);
        return MessageOperations.perform(
                        engine,
                        policy,
                        auth.appId(),
                        name,
                        messages,
                        caller,
                        limits.apply(auth.appId()).maxMessageSize(),
                        clock.millis(),
                        Ids.urlSafe(12))
                .thenApply(o -> {
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put(
                            "versionSerial",
                            o.serials().isEmpty() ? null : o.serials().get(0));
                    return call.ok(200, body);
                });
    }

    private static AblyException notFound(ChannelName name, String serial) {
        return new AblyException(
                ErrorCode.NOT_FOUND, "No message with serial '" + serial + "' on channel '" + name.base() + "'");
    }

    private static int limit(@Nullable String value) {
        if (value == null) {
            return 100;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= 1 && n <= 1000) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "limit must be 1..1000, got " + value);
    }
}

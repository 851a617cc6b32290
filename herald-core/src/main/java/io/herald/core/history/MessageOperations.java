package io.herald.core.history;

import io.herald.auth.Operations;
import io.herald.core.channel.ChannelName;
import io.herald.core.channel.ChannelPolicy;
import io.herald.core.channel.MessageRules;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.Engine;
import io.herald.core.engine.PublishOutcome;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.Versions;
import io.herald.core.internal.AblyException;
import io.herald.protocol.Action;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.ProtocolMessage;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Updates, deletes and appends of published messages (docs/protocol.md §7.8; SPEC RSL15, RTL32), for realtime and
 * REST alike: the checks (mutable namespace 93002, capability 40160/40166, serial 40003, unknown message 40400, size
 * 40009, data 40013), then the operation is published as one more event of the channel.
 */
public final class MessageOperations {
    private MessageOperations() {}

    /** Whether a published MESSAGE carries an operation on an earlier message rather than new messages. */
    public static boolean carriesOperation(@Nullable List<Message> messages) {
        if (messages == null) {
            return false;
        }
        for (Message m : messages) {
            if (Versions.isOperation(m)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Who asks.
     *
     * @param publisher    the caller's identity, as for publishing
     * @param allows       whether the caller's capability allows an operation on this channel
     * @param connectionId the realtime connection, or {@code null} for REST
     */
    public record Caller(
            MessageRules.Publisher publisher,
            Predicate<String> allows,
            @Nullable String connectionId) {}

    /**
     * Checks and publishes the operation(s) in {@code messages} (exactly one message, with action update, delete or
     * append and the serial of the message it changes). The outcome's one serial is the new version's serial.
     */
    public static CompletionStage<PublishOutcome> perform(
            Engine engine,
            ChannelPolicy policy,
            String appId,
            ChannelName name,
            List<Message> messages,
            Caller caller,
            int maxMessageSize,
            long now,
            @Nullable String eventId) {
        if (messages.size() != 1) {
            throw new AblyException(
                    ErrorCode.BAD_REQUEST,
                    "An update, delete or append must be the only message of its publish, got " + messages.size());
        }
        Message request = messages.get(0);
        int action = request.action == null ? -1 : request.action;
        if (action != Versions.UPDATE && action != Versions.DELETE && action != Versions.APPEND) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "Invalid message action " + request.action
                            + ": an operation on a message is message.update (1), message.delete (2) or"
                            + " message.append (5)");
        }
        String verb = action == Versions.DELETE ? "delete" : action == Versions.APPEND ? "append to" : "update";
        if (name.filter() != null) {
            throw new AblyException(
                    ErrorCode.BAD_REQUEST, "Unable to " + verb + " a message on a derived (filtered) channel");
        }
        if (request.serial == null || request.serial.isEmpty()) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Unable to " + verb + " message: no serial");
        }
        // written as Herald writes serials now, so the operation's stored serial matches the message's; errors quote
        // the serial as the client gave it
        String given = request.serial;
        String serial = Versions.canonical(given);
        request.serial = serial;
        if (!policy.isMutable(appId, name)) {
            throw new AblyException(
                    ErrorCode.MUTABLE_MESSAGES_NOT_ENABLED,
                    "Unable to " + verb + " message: updates, deletes and appends are only supported on channels"
                            + " with mutable messages enabled in channel namespace settings (channel '"
                            + name.base() + "')");
        }
        String any = action == Versions.DELETE ? Operations.MESSAGE_DELETE_ANY : Operations.MESSAGE_UPDATE_ANY;
        String own = action == Versions.DELETE ? Operations.MESSAGE_DELETE_OWN : Operations.MESSAGE_UPDATE_OWN;
        boolean mayAny = caller.allows().test(any);
        boolean mayOwn = caller.allows().test(own);
        String clientId = caller.publisher().clientId();
        if (!mayAny && !mayOwn) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    "Unable to " + verb + " message: the capability allows neither '" + own + "' nor '" + any
                            + "' on channel '" + name.base() + "'");
        }
        if (!mayAny && clientId == null) {
            throw new AblyException(
                    ErrorCode.UNIDENTIFIED_CANNOT_MODIFY_OWN,
                    "Unable to " + verb + " message: anonymous clients require the '" + any + "' capability (they"
                            + " cannot have own messages, so '" + own + "' does not apply)");
        }
        MessageRules.checkSize(messages, maxMessageSize);
        String versionClientId = MessageRules.effectiveClientId(
                request.version != null
                                && request.version.get("clientId") != null
                                && request.version.get("clientId").isTextual()
                        ? request.version.get("clientId").asText()
                        : null,
                caller.publisher());
        var version = Versions.version(request.version, versionClientId, now);
        ChannelId id = new ChannelId(appId, name.base());
        return engine.history().versions(id, serial).thenCompose(versions -> {
            if (versions.isEmpty()) {
                throw new AblyException(
                        ErrorCode.NOT_FOUND,
                        "Unable to " + verb + " message: no message with serial '" + given + "' on channel '"
                                + name.base() + "'");
            }
            Message original = versions.get(0);
            if (!mayAny && !Objects.equals(clientId, original.clientId)) {
                throw new AblyException(
                        ErrorCode.OPERATION_NOT_PERMITTED,
                        "Unable to " + verb + " message: '" + own + "' only allows changing messages published by"
                                + " clientId '" + clientId + "'; this one was published by "
                                + (original.clientId == null ? "an anonymous client" : "'" + original.clientId + "'")
                                + " (needs '" + any + "')");
            }
            Message latest = versions.get(versions.size() - 1);
            Message op = Versions.operation(latest, request, action, version);
            // a version carries the claim of whoever published it (the editor's, e.g. a moderator's role)
            op.extras = MessageRules.stampUserClaim(
                    op.extras == null ? null : op.extras.deepCopy(),
                    caller.publisher().userClaim());
            MessageRules.checkSize(List.of(Versions.apply(latest, op)), maxMessageSize);
            ProtocolMessage event = ProtocolMessage.of(Action.MESSAGE, name.base());
            event.id = eventId;
            event.connectionId = caller.connectionId();
            event.timestamp = now;
            event.messages = new java.util.ArrayList<>(List.of(op));
            return engine.broker().publish(new PublishRequest(id, event, policy.retention(appId, name), false));
        });
    }
}

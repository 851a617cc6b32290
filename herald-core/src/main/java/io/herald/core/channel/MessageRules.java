package io.herald.core.channel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Checks and completes published messages, for realtime and REST alike (docs/protocol.md §4.10, §7.2, §7.4; SPEC RSA7,
 * RTL6g, TO3l8).
 */
public final class MessageRules {
    private MessageRules() {}

    /**
     * Who publishes.
     *
     * @param connectionId  the publishing connection, or {@code null} for REST
     * @param clientId      the identity the credentials fix, or {@code null}
     * @param anyClientId   whether any explicit clientId may be used (basic auth or a wildcard token, no fixed id)
     * @param userClaim     the credentials' user claim for the channel published on (docs/protocol.md §4.9), or
     *                      {@code null}: what {@code extras.userClaim} of everything published will be
     */
    public record Publisher(
            @Nullable String connectionId,
            @Nullable String clientId,
            boolean anyClientId,
            @Nullable String userClaim) {

        /** A publisher without a user claim. */
        public Publisher(@Nullable String connectionId, @Nullable String clientId, boolean anyClientId) {
            this(connectionId, clientId, anyClientId, null);
        }

        /** This publisher with {@code claim} as its user claim (the credentials' claim for the channel published on). */
        public Publisher withUserClaim(@Nullable String claim) {
            return Objects.equals(claim, userClaim) ? this : new Publisher(connectionId, clientId, anyClientId, claim);
        }
    }

    /**
     * Sets {@code extras.userClaim} to the publisher's claim, or removes it when there is none: only the server
     * writes it, so a client cannot pose as having a claim. Returns the extras (a new object when there were none and
     * there is a claim; {@code null} stays {@code null} without a claim).
     */
    public static @Nullable JsonNode stampUserClaim(@Nullable JsonNode extras, @Nullable String userClaim) {
        if (userClaim == null) {
            if (extras instanceof ObjectNode o && o.has(USER_CLAIM)) {
                o.remove(USER_CLAIM);
            }
            return extras;
        }
        ObjectNode o = extras instanceof ObjectNode existing ? existing : JsonNodeFactory.instance.objectNode();
        o.put(USER_CLAIM, userClaim);
        return o;
    }

    /** The member of {@code extras} the server writes a user claim to. */
    public static final String USER_CLAIM = "userClaim";

    /** Throws 40009 when the messages together are larger than {@code maxMessageSize}. */
    /**
     * Metachannels ({@code [meta]…}) carry only what the server publishes (docs/protocol.md §6.5): a client's publish
     * or presence there is refused with 40160 whatever its capability.
     */
    public static void checkNotMeta(ChannelName name, String operation) {
        if (name.base().startsWith("[meta]")) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    "Operation not permitted: " + operation + " on metachannel '" + name.base()
                            + "'; only the server publishes there");
        }
    }

    public static void checkSize(List<Message> messages, int maxMessageSize) {
        long total = 0;
        for (Message m : messages) {
            total += m.size();
        }
        if (total > maxMessageSize) {
            throw new AblyException(
                    ErrorCode.MESSAGE_TOO_LARGE,
                    "Maximum message length exceeded: size " + total + " bytes is more than the limit of "
                            + maxMessageSize + " bytes");
        }
    }

    /** Throws 40009 when presence messages together are larger than {@code maxMessageSize}. */
    public static void checkPresenceSize(List<PresenceMessage> messages, int maxMessageSize) {
        long total = 0;
        for (PresenceMessage m : messages) {
            total += m.size();
        }
        if (total > maxMessageSize) {
            throw new AblyException(
                    ErrorCode.MESSAGE_TOO_LARGE,
                    "Maximum message length exceeded: size " + total + " bytes is more than the limit of "
                            + maxMessageSize + " bytes");
        }
    }

    /** The clientId a message or presence event will carry, after the rules; throws 40012 on a mismatch. */
    public static @Nullable String effectiveClientId(@Nullable String requested, Publisher publisher) {
        if (requested == null) {
            return publisher.clientId();
        }
        if (requested.isEmpty() || "*".equals(requested)) {
            throw new AblyException(ErrorCode.INVALID_CLIENT_ID, "Invalid clientId '" + requested + "' in message");
        }
        if (publisher.clientId() != null) {
            if (!requested.equals(publisher.clientId())) {
                throw new AblyException(
                        ErrorCode.INVALID_CLIENT_ID,
                        "Mismatched clientId: message clientId '" + requested
                                + "' does not match the connection's clientId '" + publisher.clientId() + "'");
            }
            return requested;
        }
        if (!publisher.anyClientId()) {
            throw new AblyException(
                    ErrorCode.INVALID_CLIENT_ID,
                    "Invalid clientId '" + requested
                            + "': the credentials are for an anonymous client, which cannot publish as an identified one");
        }
        return requested;
    }

    /**
     * Checks and completes messages: clientId (filled in or checked), connectionId, timestamp, action 0 (create;
     * any action, serial or version the client set is dropped) and, for messages without one, an id
     * {@code idPrefix:index}. Returns whether any message carried its own id (then publishing is
     * idempotent on that id).
     */
    public static boolean complete(List<Message> messages, Publisher publisher, String idPrefix, long timestamp) {
        boolean clientIds = false;
        for (int i = 0; i < messages.size(); i++) {
            Message m = messages.get(i);
            m.clientId = effectiveClientId(m.clientId, publisher);
            if (m.id == null || m.id.isEmpty()) {
                m.id = idPrefix + ":" + i;
            } else {
                clientIds = true;
            }
            if (publisher.connectionId() != null) {
                m.connectionId = publisher.connectionId();
            }
            m.connectionKey = null;
            if (m.timestamp == null) {
                m.timestamp = timestamp;
            }
            // the server decides what a published message is (a create, message.create); serial, version and the
            // annotations summary are the server's to assign, never the publisher's
            m.action = 0;
            m.serial = null;
            m.version = null;
            m.annotations = null;
            m.extras = stampUserClaim(m.extras, publisher.userClaim());
        }
        return clientIds;
    }
}

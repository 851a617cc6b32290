package io.herald.demo;

import io.herald.auth.Capability;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a demo user may do, as the smallest Ably capability that fits (docs/protocol.md §5). The demo's chat
 * rooms are {@code @ably/chat} rooms: room {@code R} is the channel {@code R::$chat}, and the resource
 * {@link #ROOMS} ({@code *::$chat}) covers every room and nothing else. Presence subscribe is part of
 * {@code subscribe}, so a viewer sees who is online without being able to enter; {@code channel-metadata} lets
 * every role see the room's occupancy. Each room also has a poll, LiveObjects on the channel {@code poll:R} (resource
 * {@link #POLLS}): every role sees the votes ({@code object-subscribe}); members and moderators vote
 * ({@code object-publish}); a viewer's vote is refused by Herald.
 */
public enum Role {
    /** Reads the rooms: messages with their reactions, history, presence, typing and occupancy. */
    VIEWER(rooms(List.of("object-subscribe"), "channel-metadata", "history", "subscribe")),
    /**
     * A viewer who may also send (messages, typing, room reactions), enter presence, edit and delete their own
     * messages and react to any message.
     */
    MEMBER(rooms(
            Poll.VOTER,
            "channel-metadata",
            "history",
            "subscribe",
            "annotation-publish",
            "message-delete-own",
            "message-update-own",
            "presence",
            "publish")),
    /** A member who may also delete anyone's message ({@code message-delete-any} covers their own too). */
    MODERATOR(rooms(
            Poll.VOTER,
            "channel-metadata",
            "history",
            "subscribe",
            "annotation-publish",
            "message-delete-any",
            "message-update-own",
            "presence",
            "publish")),
    /** Everything on every channel. */
    ADMIN(Capability.ALL);

    /** What a voter may do on a poll channel (an enum's constants cannot read its own static fields). */
    private static final class Poll {
        static final List<String> VOTER = List.of("object-publish", "object-subscribe");
    }

    @SuppressWarnings("ImmutableEnumChecker") // Capability is immutable (final fields, unmodifiable collections)
    private final Capability capability;

    /** The resource matching every chat room's channel ({@code lobby::$chat}, {@code random::$chat}, ...). */
    public static final String ROOMS = "*::$chat";

    /** The resource matching every room's poll channel ({@code poll:lobby}, {@code poll:random}, ...). */
    public static final String POLLS = "poll:*";

    Role(Capability capability) {
        this.capability = capability;
    }

    /** The capability a token for this role carries. */
    public Capability capability() {
        return capability;
    }

    /** The lower-case name used in the users file and the API ({@code viewer}, {@code member}, {@code moderator}, {@code admin}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    private static Capability rooms(List<String> poll, String... operations) {
        return Capability.of(Map.of(ROOMS, List.of(operations), POLLS, poll));
    }

    /**
     * The role named {@code id}, case-insensitively.
     *
     * @throws IllegalArgumentException naming the allowed roles
     */
    public static Role parse(String id) {
        if (id != null) {
            for (Role r : values()) {
                if (r.id().equalsIgnoreCase(id.trim())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("unknown role '" + id + "': use viewer, member, moderator or admin");
    }
}

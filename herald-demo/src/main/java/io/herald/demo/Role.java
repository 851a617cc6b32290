package io.herald.demo;

import io.herald.auth.Capability;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a demo user may do, as the smallest Ably capability that fits (docs/protocol.md §5). Presence
 * subscribe is part of {@code subscribe}, so a viewer sees who is online without being able to enter.
 */
public enum Role {
    /** Reads the chat rooms: messages, presence and history on {@code chat:*}. */
    VIEWER(Capability.of(Map.of("chat:*", List.of("history", "subscribe")))),
    /** A viewer who may also publish and enter presence on {@code chat:*}. */
    MEMBER(Capability.of(Map.of("chat:*", List.of("history", "presence", "publish", "subscribe")))),
    /** Everything on every channel. */
    ADMIN(Capability.ALL);

    @SuppressWarnings("ImmutableEnumChecker") // Capability is immutable (final fields, unmodifiable collections)
    private final Capability capability;

    Role(Capability capability) {
        this.capability = capability;
    }

    /** The capability a token for this role carries. */
    public Capability capability() {
        return capability;
    }

    /** The lower-case name used in the users file and the API ({@code viewer}, {@code member}, {@code admin}). */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
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
        throw new IllegalArgumentException("unknown role '" + id + "': use viewer, member or admin");
    }
}

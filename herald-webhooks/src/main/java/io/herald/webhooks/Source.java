package io.herald.webhooks;

import java.util.Locale;

/** What kind of event a rule delivers, named as in Ably's integration rules. */
public enum Source {
    /** Messages published on a channel. */
    MESSAGE("channel.message"),
    /** Presence events (enter, update, leave) on a channel. */
    PRESENCE("channel.presence"),
    /** A channel opened, closed, or became active or inactive on a node (the {@code [meta]channel.lifecycle} events). */
    LIFECYCLE("channel.lifecycle");

    private final String wireName;

    Source(String wireName) {
        this.wireName = wireName;
    }

    /** The name in the configuration and in the envelope's {@code source}. */
    public String wireName() {
        return wireName;
    }

    /** The source named {@code name}; fails with the names Herald knows. */
    public static Source of(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Source s : values()) {
            if (s.wireName.equals(n)) {
                return s;
            }
        }
        if (n.equals("channel.occupancy")) {
            throw new IllegalArgumentException(
                    "channel.occupancy is not supported by Herald's webhooks (occupancy is computed per node); use"
                            + " channel.message, channel.presence or channel.lifecycle");
        }
        throw new IllegalArgumentException(
                "unknown source '" + name + "': use channel.message, channel.presence or channel.lifecycle");
    }
}

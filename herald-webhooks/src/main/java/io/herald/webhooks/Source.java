package io.herald.webhooks;

import java.util.Locale;

/** What kind of event a rule delivers, named as in Ably's integration rules. */
public enum Source {
    /** Messages published on a channel. */
    MESSAGE("channel.message"),
    /** Presence events (enter, update, leave) on a channel. */
    PRESENCE("channel.presence"),
    /** A channel opened, closed, or became active or inactive on a node (the {@code [meta]channel.lifecycle} events). */
    LIFECYCLE("channel.lifecycle"),
    /** The cluster-wide occupancy after a change (the {@code channel.occupancy} events of {@code [meta]channel.lifecycle}). */
    OCCUPANCY("channel.occupancy");

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
        throw new IllegalArgumentException("unknown source '" + name
                + "': use channel.message, channel.presence, channel.lifecycle or channel.occupancy");
    }
}

package io.herald.auth;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Capability operation names (docs/protocol.md §5.1; DOCS auth/capabilities.mdx). {@link #ALL} ({@code "*"})
 * stands for every operation and must be the only operation of a resource.
 */
public final class Operations {

    public static final String SUBSCRIBE = "subscribe";
    public static final String PUBLISH = "publish";
    public static final String PRESENCE = "presence";
    public static final String HISTORY = "history";
    public static final String STATS = "stats";
    public static final String CHANNEL_METADATA = "channel-metadata";
    public static final String PUSH_SUBSCRIBE = "push-subscribe";
    public static final String PUSH_ADMIN = "push-admin";
    public static final String PRIVILEGED_HEADERS = "privileged-headers";
    public static final String OBJECT_SUBSCRIBE = "object-subscribe";
    public static final String OBJECT_PUBLISH = "object-publish";
    public static final String ANNOTATION_SUBSCRIBE = "annotation-subscribe";
    public static final String ANNOTATION_PUBLISH = "annotation-publish";
    public static final String MESSAGE_UPDATE_OWN = "message-update-own";
    public static final String MESSAGE_UPDATE_ANY = "message-update-any";
    public static final String MESSAGE_DELETE_OWN = "message-delete-own";
    public static final String MESSAGE_DELETE_ANY = "message-delete-any";
    /** Every operation; valid only on its own ({@code ["*"]}). */
    public static final String ALL = "*";

    /** Every named operation (all of the above except {@link #ALL}), iterated in sorted order. */
    public static final Set<String> KNOWN = Collections.unmodifiableSet(new TreeSet<>(List.of(
            SUBSCRIBE,
            PUBLISH,
            PRESENCE,
            HISTORY,
            STATS,
            CHANNEL_METADATA,
            PUSH_SUBSCRIBE,
            PUSH_ADMIN,
            PRIVILEGED_HEADERS,
            OBJECT_SUBSCRIBE,
            OBJECT_PUBLISH,
            ANNOTATION_SUBSCRIBE,
            ANNOTATION_PUBLISH,
            MESSAGE_UPDATE_OWN,
            MESSAGE_UPDATE_ANY,
            MESSAGE_DELETE_OWN,
            MESSAGE_DELETE_ANY)));

    private Operations() {}
}

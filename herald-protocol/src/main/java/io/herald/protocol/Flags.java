package io.herald.protocol;

/**
 * ProtocolMessage flag bits (SPEC TR3; docs/protocol.md §2.3) and channel modes (§5.5).
 */
public final class Flags {
    public static final int HAS_PRESENCE = 1;
    public static final int HAS_BACKLOG = 1 << 1;
    public static final int RESUMED = 1 << 2;
    public static final int TRANSIENT = 1 << 4;
    public static final int ATTACH_RESUME = 1 << 5;
    public static final int HAS_OBJECTS = 1 << 7;

    public static final int MODE_PRESENCE = 1 << 16;
    public static final int MODE_PUBLISH = 1 << 17;
    public static final int MODE_SUBSCRIBE = 1 << 18;
    public static final int MODE_PRESENCE_SUBSCRIBE = 1 << 19;
    public static final int MODE_ANNOTATION_PUBLISH = 1 << 21;
    public static final int MODE_ANNOTATION_SUBSCRIBE = 1 << 22;
    public static final int MODE_OBJECT_SUBSCRIBE = 1 << 24;
    public static final int MODE_OBJECT_PUBLISH = 1 << 25;

    /** Every mode bit. */
    public static final int MODE_ALL = MODE_PRESENCE
            | MODE_PUBLISH
            | MODE_SUBSCRIBE
            | MODE_PRESENCE_SUBSCRIBE
            | MODE_ANNOTATION_PUBLISH
            | MODE_ANNOTATION_SUBSCRIBE
            | MODE_OBJECT_SUBSCRIBE
            | MODE_OBJECT_PUBLISH;

    /** Modes granted when the client asks for none (docs/protocol.md §2.3). */
    public static final int MODE_DEFAULT =
            MODE_SUBSCRIBE | MODE_PUBLISH | MODE_PRESENCE_SUBSCRIBE | MODE_PRESENCE | MODE_ANNOTATION_PUBLISH;

    private Flags() {}

    public static boolean has(int flags, int bit) {
        return (flags & bit) == bit;
    }
}

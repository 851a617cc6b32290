package io.herald.core.objects;

/** The actions of an {@link ObjectOperation}, as numbered on the wire (Ably's OOP2). */
public final class ObjectAction {
    public static final int MAP_CREATE = 0;
    public static final int MAP_SET = 1;
    public static final int MAP_REMOVE = 2;
    public static final int COUNTER_CREATE = 3;
    public static final int COUNTER_INC = 4;
    public static final int OBJECT_DELETE = 5;
    public static final int MAP_CLEAR = 6;

    private static final String[] NAMES = {
        "map.create", "map.set", "map.remove", "counter.create", "counter.inc", "object.delete", "map.clear"
    };

    private ObjectAction() {}

    /** Whether the action is one of the seven above. */
    public static boolean isKnown(int action) {
        return action >= 0 && action < NAMES.length;
    }

    /** The action's name as the SDKs show it ({@code map.set}), or {@code unknown}. */
    public static String name(int action) {
        return isKnown(action) ? NAMES[action] : "unknown";
    }

    /** Whether the action applies to a map object ({@code MAP_*}); OBJECT_DELETE applies to both types. */
    static boolean isMapAction(int action) {
        return action == MAP_CREATE || action == MAP_SET || action == MAP_REMOVE || action == MAP_CLEAR;
    }

    /** Whether the action applies to a counter object ({@code COUNTER_*}). */
    static boolean isCounterAction(int action) {
        return action == COUNTER_CREATE || action == COUNTER_INC;
    }
}

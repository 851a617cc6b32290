package io.herald.protocol;

/**
 * ProtocolMessage action codes (SPEC TR2; docs/protocol.md §2.1).
 */
public final class Action {
    public static final int HEARTBEAT = 0;
    public static final int ACK = 1;
    public static final int NACK = 2;
    public static final int CONNECT = 3;
    public static final int CONNECTED = 4;
    public static final int DISCONNECT = 5;
    public static final int DISCONNECTED = 6;
    public static final int CLOSE = 7;
    public static final int CLOSED = 8;
    public static final int ERROR = 9;
    public static final int ATTACH = 10;
    public static final int ATTACHED = 11;
    public static final int DETACH = 12;
    public static final int DETACHED = 13;
    public static final int PRESENCE = 14;
    public static final int MESSAGE = 15;
    public static final int SYNC = 16;
    public static final int AUTH = 17;
    public static final int ACTIVATE = 18;
    public static final int OBJECT = 19;
    public static final int OBJECT_SYNC = 20;
    public static final int ANNOTATION = 21;

    private static final String[] NAMES = {
        "HEARTBEAT",
        "ACK",
        "NACK",
        "CONNECT",
        "CONNECTED",
        "DISCONNECT",
        "DISCONNECTED",
        "CLOSE",
        "CLOSED",
        "ERROR",
        "ATTACH",
        "ATTACHED",
        "DETACH",
        "DETACHED",
        "PRESENCE",
        "MESSAGE",
        "SYNC",
        "AUTH",
        "ACTIVATE",
        "OBJECT",
        "OBJECT_SYNC",
        "ANNOTATION"
    };

    private Action() {}

    /** The spec name of an action, or {@code "UNKNOWN(n)"}. */
    public static String name(int action) {
        return action >= 0 && action < NAMES.length ? NAMES[action] : "UNKNOWN(" + action + ")";
    }

    /** Whether the action is one this protocol version defines. */
    public static boolean isKnown(int action) {
        return action >= 0 && action < NAMES.length;
    }
}

package io.herald.junit;

/**
 * The fault control API refused a request of {@link HeraldFaults}: a fault it does not take (a bad value, a field the
 * kind does not take, an unknown app) or too many active faults. Carries the Ably error the server answered.
 */
public final class FaultException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final int statusCode;
    private final String reason;

    FaultException(String what, int code, int statusCode, String reason) {
        super(what + " refused: " + reason + " (code " + code + ", status " + statusCode + ")");
        this.code = code;
        this.statusCode = statusCode;
        this.reason = reason;
    }

    /** The Ably error code, e.g. 40003 for a bad value. */
    public int code() {
        return code;
    }

    /** The HTTP status, e.g. 400. */
    public int statusCode() {
        return statusCode;
    }

    /** The server's message, which names the field at fault. */
    public String reason() {
        return reason;
    }
}

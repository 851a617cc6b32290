package io.herald.auth;

/**
 * An Ably-style authentication or authorisation failure: an Ably error {@link #code() code}, the HTTP
 * {@link #statusCode() status} that goes with it, and a message that says what is wrong
 * (docs/protocol.md §10.3, §11; SPEC TI1).
 *
 * <p>Messages never contain key secrets. Callers turn this into an Ably {@code ErrorInfo} for REST
 * responses or protocol messages.
 */
public final class AuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final int statusCode;
    private final String message;

    /**
     * @param code       Ably error code, e.g. 40142
     * @param statusCode HTTP status, e.g. 401
     * @param message    what is wrong, safe to show to the client
     */
    public AuthException(int code, int statusCode, String message) {
        super(message, null, false, false);
        this.code = code;
        this.statusCode = statusCode;
        this.message = message;
    }

    /** What is wrong, never {@code null}. */
    @Override
    public String getMessage() {
        return message;
    }

    /** The Ably error code, e.g. 40142 for an expired token. */
    public int code() {
        return code;
    }

    /** The HTTP status, e.g. 401. */
    public int statusCode() {
        return statusCode;
    }

    // getMessage() stays the plain reason sent to clients; toString() adds code and status for logs
    @SuppressWarnings("OverrideThrowableToString")
    @Override
    public String toString() {
        return "AuthException[" + code + "/" + statusCode + ": " + getMessage() + "]";
    }

    static AuthException badRequest(String message) {
        return new AuthException(40000, 400, message);
    }

    static AuthException invalidBody(String message) {
        return new AuthException(40001, 400, message);
    }

    static AuthException invalidParameter(String message) {
        return new AuthException(40003, 400, message);
    }
}

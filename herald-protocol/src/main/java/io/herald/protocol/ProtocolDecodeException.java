package io.herald.protocol;

/**
 * A frame or body that could not be decoded. Carries the Ably error to answer with (usually 40000 Bad request), so a
 * decode failure becomes an ERROR reply or a 4xx response, never an unhandled exception.
 */
public final class ProtocolDecodeException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ErrorInfo error;

    public ProtocolDecodeException(ErrorInfo error) {
        super(error.message());
        this.error = error;
    }

    public ProtocolDecodeException(ErrorInfo error, Throwable cause) {
        super(error.message(), cause);
        this.error = error;
    }

    public ErrorInfo error() {
        return error;
    }
}

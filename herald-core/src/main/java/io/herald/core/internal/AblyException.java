package io.herald.core.internal;

import io.herald.auth.AuthException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.ProtocolDecodeException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * A failure that has an Ably error to report (code, HTTP status, message). Everything the core rejects is thrown or
 * completed exceptionally as one of these; the REST mapper and the session turn it into a response or a frame.
 */
public final class AblyException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient ErrorInfo error;

    public AblyException(ErrorInfo error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public AblyException(ErrorCode code) {
        this(code.info());
    }

    public AblyException(ErrorCode code, String message) {
        this(code.info(message));
    }

    public ErrorInfo error() {
        return error;
    }

    /** The Ably error of any failure: ours, the auth library's, a decode failure, or 50000 for anything else. */
    public static ErrorInfo errorOf(Throwable t) {
        Throwable c = unwrap(t);
        if (c instanceof AblyException a) {
            return a.error;
        }
        if (c instanceof AuthException a) {
            return ErrorInfo.of(a.code(), a.statusCode(), a.getMessage());
        }
        if (c instanceof ProtocolDecodeException p) {
            return p.error();
        }
        return ErrorCode.INTERNAL_ERROR.info("Internal error: " + c.getClass().getSimpleName());
    }

    /** Whether the failure is an expected, reportable one (not a bug). */
    public static boolean isExpected(Throwable t) {
        Throwable c = unwrap(t);
        return c instanceof AblyException || c instanceof AuthException || c instanceof ProtocolDecodeException;
    }

    public static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }
}

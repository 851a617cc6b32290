package io.herald.server.recording;

/**
 * Why a recording or a replay could not be made, as a message for the user and the command's exit code.
 */
public final class RecordingException extends Exception {
    private static final long serialVersionUID = 1L;

    /** A bad command line (picocli's own code for it). */
    public static final int USAGE = 2;
    /** The recording file: missing, unreadable, corrupt, of an unknown version, or the output exists. */
    public static final int FILE = 3;
    /** The server could not be reached, or the connection to it was lost. */
    public static final int UNREACHABLE = 4;
    /** The server refused something (a key, a channel, a message); its Ably error is in the message. */
    public static final int REFUSED = 5;

    private final int exitCode;

    public RecordingException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public RecordingException(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}

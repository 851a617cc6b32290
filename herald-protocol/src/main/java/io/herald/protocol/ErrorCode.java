package io.herald.protocol;

import org.jspecify.annotations.Nullable;

/**
 * The Ably error codes Herald sends, with their HTTP status and default message (docs/protocol.md §11; ERR n in
 * ably/ably-common errors/codes). One table for REST and realtime.
 */
public enum ErrorCode {
    BAD_REQUEST(40000, 400, "Bad request"),
    INVALID_REQUEST_BODY(40001, 400, "Invalid request body"),
    INVALID_PARAMETER_NAME(40002, 400, "Invalid parameter name"),
    INVALID_PARAMETER_VALUE(40003, 400, "Invalid parameter value"),
    INVALID_HEADER(40004, 400, "Invalid header"),
    INVALID_CREDENTIAL(40005, 400, "Invalid credential"),
    INVALID_CONNECTION_ID(40006, 400, "Invalid connection id"),
    INVALID_MESSAGE_ID(40007, 400, "Invalid message id"),
    INVALID_CONTENT_LENGTH(40008, 400, "Invalid content length"),
    MESSAGE_TOO_LARGE(40009, 413, "Maximum message length exceeded"),
    INVALID_CHANNEL_NAME(40010, 400, "Invalid channel name"),
    INVALID_CLIENT_ID(40012, 400, "Invalid clientId"),
    INVALID_MESSAGE_DATA_OR_ENCODING(40013, 400, "Invalid message data or encoding"),
    UNSUPPORTED_PROTOCOL_VERSION(40017, 400, "Unsupported protocol version"),
    INVALID_PUBLISH_REQUEST(40020, 400, "Batch error"),
    INVALID_CHANNEL_PARAMETER(40030, 400, "Invalid channel parameter"),

    UNAUTHORIZED(40100, 401, "Credentials not recognised"),
    INVALID_CREDENTIALS(40101, 401, "Invalid credentials"),
    INCOMPATIBLE_CREDENTIALS(40102, 401, "Invalid clientId for credentials"),
    INVALID_USE_OF_BASIC_AUTH(40103, 401, "Invalid use of Basic authentication over non-TLS transport"),
    TIMESTAMP_NOT_CURRENT(40104, 401, "Timestamp not current"),
    NONCE_REPLAYED(40105, 401, "Nonce value replayed"),
    UNABLE_TO_OBTAIN_CREDENTIALS(40106, 401, "Unable to obtain credentials from given parameters"),
    ACCOUNT_DISABLED(40110, 401, "Account disabled"),
    CONNECTION_LIMIT_EXCEEDED(40111, 403, "Connection limit exceeded"),
    KEY_NOT_RECOGNISED(40130, 401, "API key not recognised"),
    KEY_REVOKED(40131, 401, "Key revoked"),
    KEY_EXPIRED(40132, 401, "Key expired"),
    TOKEN_ERROR(40140, 401, "Token error"),
    TOKEN_REVOKED(40141, 401, "Token revoked"),
    TOKEN_EXPIRED(40142, 401, "Token expired"),
    TOKEN_UNRECOGNISED(40143, 401, "Token unrecognised"),
    INVALID_JWT(40144, 401, "Invalid JWT format"),
    INVALID_TOKEN(40145, 401, "Invalid token format"),
    CONNECTION_LIMIT_PER_TOKEN(40150, 401, "Connection limit for this token exceeded"),
    OPERATION_NOT_PERMITTED(40160, 401, "Operation not permitted with provided capability"),
    IDENTIFIED_CLIENT_REQUIRED(40161, 401, "Operation requires an identified client"),
    TOKEN_AUTH_REQUIRED(40162, 401, "Operation requires token authentication"),
    MODE_NOT_REQUESTED(40165, 401, "Operation not permitted: channel mode not requested"),
    UNIDENTIFIED_CANNOT_MODIFY_OWN(40166, 401, "Unidentified client cannot modify own messages"),

    FORBIDDEN(40300, 403, "Forbidden"),
    NOT_FOUND(40400, 404, "Not found"),
    METHOD_NOT_ALLOWED(40500, 405, "Method not allowed"),
    TOO_MANY_REQUESTS(42910, 429, "Rate limit exceeded"),
    PUBLISH_RATE_EXCEEDED(42911, 429, "Rate limit exceeded; request rejected"),
    RATE_LIMIT_FATAL(42920, 429, "Rate limit exceeded (fatal)"),
    PUBLISH_RATE_FATAL(42921, 429, "Max per-connection publish rate limit exceeded (fatal); closing connection"),
    CHANNEL_LIMIT_EXCEEDED(42913, 429, "Maximum number of channels per connection exceeded"),
    PRESENCE_MEMBER_LIMIT_EXCEEDED(91003, 400, "Maximum number of presence members exceeded"),

    INTERNAL_ERROR(50000, 500, "Internal error"),
    INTERNAL_CHANNEL_ERROR(50001, 500, "Internal channel error"),
    INTERNAL_CONNECTION_ERROR(50002, 500, "Internal connection error"),
    TIMEOUT(50003, 500, "Timeout error"),
    SERVICE_UNAVAILABLE(50300, 503, "Service temporarily unavailable"),

    CONNECTION_FAILED(80000, 400, "Connection failed"),
    CONNECTION_SUSPENDED(80002, 400, "Connection suspended"),
    DISCONNECTED(80003, 400, "Disconnected"),
    ALREADY_CONNECTED(80004, 400, "Already connected"),
    INVALID_CONNECTION_ID_REMOTE(80005, 400, "Invalid connection id (remote not found)"),
    UNABLE_TO_RECOVER(80008, 400, "Unable to recover connection"),
    CONNECTION_CLOSED(80017, 400, "Connection closed"),
    INVALID_CONNECTION_KEY(80018, 400, "Invalid connection key"),
    CLIENT_RESTRICTION(80019, 400, "Client restriction not satisfied"),
    CONNECTION_DROPPED_SLOW(80020, 400, "Continuity loss due to maximum subscribe message rate exceeded"),
    EXCEEDED_OUTBOUND_BUFFER(80021, 400, "Exceeded maximum permitted account-wide rate of creating new connections"),
    SERVER_SHUTDOWN(80030, 400, "Server is shutting down"),

    CHANNEL_OPERATION_FAILED(90000, 400, "Channel operation failed"),
    CHANNEL_OPERATION_INVALID_STATE(90001, 400, "Channel operation failed: invalid channel state"),
    CHANNEL_LIMIT_REACHED(90021, 400, "Max channel creation rate exceeded"),
    PRESENCE_NO_CLIENT_ID(91000, 400, "Unable to enter presence channel (no clientId)"),
    PRESENCE_INVALID_STATE(91001, 400, "Unable to enter presence channel (invalid channel state)"),
    PRESENCE_LEAVE_INVALID_STATE(91002, 400, "Unable to leave presence channel that is not entered"),
    OBJECT_INVALID_MESSAGE(92000, 400, "Invalid LiveObjects message"),
    OBJECT_LIMIT_EXCEEDED(92001, 400, "LiveObjects limit exceeded"),
    OBJECT_TOMBSTONED(92002, 400, "LiveObjects operation on a deleted object"),
    OBJECT_ROOT_DELETED(92003, 400, "LiveObjects root has been deleted"),
    OBJECT_NOT_FOUND(92004, 404, "LiveObjects object not found"),
    OBJECT_PATH_NO_MATCH(92005, 404, "LiveObjects path matched no objects"),
    OBJECT_REFERENCE_MISSING(92006, 400, "LiveObjects operation missing object reference"),
    OBJECT_PATH_NOT_PROCESSABLE(92007, 400, "LiveObjects operation not valid for the path"),
    MUTABLE_MESSAGES_NOT_ENABLED(
            93002, 400, "Message annotations, updates, appends, and deletes not enabled for this channel");

    private final int code;
    private final int statusCode;
    private final String message;

    ErrorCode(int code, int statusCode, String message) {
        this.code = code;
        this.statusCode = statusCode;
        this.message = message;
    }

    public int code() {
        return code;
    }

    public int statusCode() {
        return statusCode;
    }

    public String defaultMessage() {
        return message;
    }

    /** The error with its default message. */
    public ErrorInfo info() {
        return ErrorInfo.of(code, statusCode, message);
    }

    /** The error with a specific message. */
    public ErrorInfo info(String specificMessage) {
        return ErrorInfo.of(code, statusCode, specificMessage);
    }

    /** The table entry for a numeric code, or {@code null}. */
    public static @Nullable ErrorCode byCode(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return null;
    }
}

package io.herald.server.recording;

import com.fasterxml.jackson.databind.JsonNode;

/** An Ably ErrorInfo as the server sent it (in a protocol message or a REST error body). */
public record AblyError(int code, int statusCode, String message) {

    /** Reads {@code {code, statusCode, message}}; missing fields are 0 and an empty message. */
    static AblyError of(JsonNode error) {
        return new AblyError(
                error.path("code").asInt(0),
                error.path("statusCode").asInt(0),
                error.path("message").asText(""));
    }

    @Override
    public String toString() {
        return code + " (status " + statusCode + "): " + message;
    }

    /** An AblyError carried through a future. */
    static final class Failure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        @SuppressWarnings("serial") // a record of strings and ints; never serialized
        final AblyError error;

        Failure(AblyError error) {
            super(error.toString(), null, false, false);
            this.error = error;
        }
    }
}

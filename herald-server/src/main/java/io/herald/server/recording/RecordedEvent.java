package io.herald.server.recording;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One event of a recording: its line in the file, when it happened (ms after the recording started), its channel,
 * whether it is a message or a presence event, and the line's JSON object, which holds the message's fields.
 */
public record RecordedEvent(int line, long offsetMs, String channel, Type type, ObjectNode fields) {

    /** What kind of event a line records. */
    public enum Type {
        MESSAGE("message"),
        PRESENCE("presence");

        private final String wire;

        Type(String wire) {
            this.wire = wire;
        }

        public String wire() {
            return wire;
        }
    }

    /** The presence action's name ({@code enter}, {@code present}, {@code update}, {@code leave}, {@code absent}). */
    public String presenceAction() {
        return fields.path("action").asText("");
    }
}

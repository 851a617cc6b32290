package io.herald.junit;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.OptionalInt;

/**
 * A fault active on the server, as the control API described it when it was injected or listed (docs/faults.md). The
 * numbers are a snapshot of that moment; {@link HeraldFaults#list()} gives fresh ones. {@link #clear()} ends it early;
 * every fault also ends after its test, when it is used up, or when its ttl runs out.
 */
public final class InjectedFault {
    private final HeraldFaults faults;
    private final JsonNode json;

    InjectedFault(HeraldFaults faults, JsonNode json) {
        this.faults = faults;
        this.json = json;
    }

    /** The fault's id ({@code f_...}). */
    public String id() {
        return json.path("id").asText();
    }

    /** Its kind, e.g. {@code connection.drop}. */
    public String kind() {
        return json.path("kind").asText();
    }

    /** The app it acts on. */
    public String appId() {
        return json.path("appId").asText();
    }

    /**
     * How many connections (one-shot kinds) or requests, resumes or deliveries (the others) it had acted on: for a
     * one-shot kind such as {@code connection.drop}, 0 means it matched no connection.
     */
    public int applied() {
        return json.path("applied").asInt();
    }

    /** For the counted kinds (failResume, token and REST failures), how many more times it acts. */
    public OptionalInt remaining() {
        JsonNode r = json.path("remaining");
        return r.isNumber() ? OptionalInt.of(r.asInt()) : OptionalInt.empty();
    }

    /** Clears the fault now; {@code false} when it was no longer active (used up, expired or cleared before). */
    public boolean clear() {
        return faults.clear(id());
    }

    /** The control API's JSON for this fault. */
    public String json() {
        return json.toString();
    }

    @Override
    public String toString() {
        return json.toString();
    }
}

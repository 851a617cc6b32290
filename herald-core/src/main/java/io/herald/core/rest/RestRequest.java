package io.herald.core.rest;

import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP request, as the transport read it.
 *
 * @param method        upper case
 * @param path          the raw (still percent-encoded) path, without the query
 * @param query         decoded query parameters (the first value of each)
 * @param headers       header values by lower-case name
 * @param body          the body, empty when none
 * @param remoteAddress the peer, for logs
 */
// a request is never compared or hashed, so the body array's identity-based equals does not matter
@SuppressWarnings("ArrayRecordComponent")
public record RestRequest(
        String method,
        String path,
        Map<String, String> query,
        Map<String, String> headers,
        byte[] body,
        String remoteAddress) {

    public RestRequest {
        query = Map.copyOf(query);
        headers = Map.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The header's value, or {@code null} when the request has none. */
    public @Nullable String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }
}

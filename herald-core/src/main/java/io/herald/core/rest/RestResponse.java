package io.herald.core.rest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One HTTP response: status, headers (a name may repeat, e.g. one {@code Link} per relation) and body.
 */
public final class RestResponse {
    private final int status;
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private final byte[] body;

    public RestResponse(int status, @Nullable String contentType, byte @Nullable [] body) {
        this.status = status;
        this.body = body == null ? new byte[0] : body;
        if (contentType != null) {
            header("Content-Type", contentType);
        }
    }

    public static RestResponse empty(int status) {
        return new RestResponse(status, null, null);
    }

    public RestResponse header(String name, String value) {
        headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        return this;
    }

    public int status() {
        return status;
    }

    public Map<String, List<String>> headers() {
        return headers;
    }

    public @Nullable String firstHeader(String name) {
        for (Map.Entry<String, List<String>> e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue().get(0);
            }
        }
        return null;
    }

    public byte[] body() {
        return body;
    }
}

package io.herald.server.control;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.fault.Fault;
import io.herald.core.fault.FaultKind;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import java.util.Iterator;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /control/faults}, read strictly: every problem is a 400 Ably error naming the field (40001
 * for a body that is not a JSON object, 40002 for an unknown field, 40003 for a bad value), never a 500.
 */
final class FaultRequest {
    /** The largest body accepted. */
    static final int MAX_BODY = 8 * 1024;

    static final int MAX_COUNT = 1_000;
    static final long MAX_DELAY_MS = 30_000;
    static final int MAX_ID = 256;
    static final int MAX_MESSAGE = 300;

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private static final Set<String> FIELDS = Set.of(
            "kind",
            "appId",
            "connectionId",
            "clientId",
            "channel",
            "method",
            "path",
            "error",
            "count",
            "delayMs",
            "ttlMs");
    private static final Set<String> METHODS = Set.of("*", "GET", "POST", "PUT", "PATCH", "DELETE");

    private FaultRequest() {}

    /** The fault the body asks for; {@code appExists} tells whether an app id is known. */
    static Fault.Spec parse(byte[] body, java.util.function.Predicate<String> appExists) {
        if (body.length > MAX_BODY) {
            throw bad(ErrorCode.INVALID_REQUEST_BODY, "The body is larger than " + MAX_BODY + " bytes");
        }
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw bad(ErrorCode.INVALID_REQUEST_BODY, "The body is not valid JSON");
        } catch (java.io.IOException e) {
            throw bad(ErrorCode.INVALID_REQUEST_BODY, "The body could not be read");
        }
        if (n == null || !n.isObject()) {
            throw bad(ErrorCode.INVALID_REQUEST_BODY, "The body must be a JSON object with at least kind and appId");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw bad(ErrorCode.INVALID_PARAMETER_NAME, "Unknown field '" + clip(f) + "'; fields: " + FIELDS);
            }
        }
        String kindName = text(n, "kind", 64);
        if (kindName == null) {
            throw bad(ErrorCode.INVALID_PARAMETER_VALUE, "kind is required; one of " + FaultKind.names());
        }
        FaultKind kind = FaultKind.of(kindName);
        if (kind == null) {
            throw bad(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    "Unknown fault kind '" + clip(kindName) + "'; one of " + FaultKind.names());
        }
        String appId = text(n, "appId", MAX_ID);
        if (appId == null) {
            throw bad(ErrorCode.INVALID_PARAMETER_VALUE, "appId is required");
        }
        if (!appExists.test(appId)) {
            throw new AblyException(ErrorCode.NOT_FOUND, "No app with id '" + clip(appId) + "'");
        }
        String connectionId = text(n, "connectionId", MAX_ID);
        String clientId = text(n, "clientId", MAX_ID);
        String channel = text(n, "channel", MAX_ID);
        String method = text(n, "method", 16);
        String path = text(n, "path", 512);
        boolean connection = kind.scope() == FaultKind.Scope.CONNECTION;
        boolean onChannel = kind.scope() == FaultKind.Scope.CHANNEL || kind.scope() == FaultKind.Scope.DELIVERY;
        if (!connection && !onChannel && (connectionId != null || clientId != null)) {
            throw bad(ErrorCode.INVALID_PARAMETER_NAME, kind.wireName() + " takes no connectionId or clientId");
        }
        if ((kind == FaultKind.TOKEN_REVOKE || kind == FaultKind.TOKEN_EXPIRE) && clientId == null) {
            throw bad(ErrorCode.INVALID_PARAMETER_VALUE, kind.wireName() + " needs the clientId whose token it hits");
        }
        if (kind.scope() == FaultKind.Scope.DELIVERY && (connectionId != null || clientId != null)) {
            throw bad(
                    ErrorCode.INVALID_PARAMETER_NAME, kind.wireName() + " applies to every subscriber of the channel");
        }
        if (onChannel != (channel != null)) {
            throw bad(
                    onChannel ? ErrorCode.INVALID_PARAMETER_VALUE : ErrorCode.INVALID_PARAMETER_NAME,
                    onChannel ? kind.wireName() + " needs a channel" : kind.wireName() + " takes no channel");
        }
        boolean rest = kind == FaultKind.REST_FAIL;
        if (rest) {
            if (path == null || !path.startsWith("/")) {
                throw bad(
                        ErrorCode.INVALID_PARAMETER_VALUE,
                        "rest.fail needs a path starting with / (e.g. /channels/*/messages)");
            }
            if (path.startsWith("/control")) {
                throw bad(ErrorCode.INVALID_PARAMETER_VALUE, "The control API itself cannot be faulted");
            }
            method = method == null ? "*" : method.toUpperCase(Locale.ROOT);
            if (!METHODS.contains(method)) {
                throw bad(ErrorCode.INVALID_PARAMETER_VALUE, "method must be one of " + METHODS);
            }
        } else if (method != null || path != null) {
            throw bad(ErrorCode.INVALID_PARAMETER_NAME, kind.wireName() + " takes no method or path");
        }
        boolean counted = kind == FaultKind.CONNECTION_FAIL_RESUME
                || kind == FaultKind.TOKEN_REQUEST_FAIL
                || kind == FaultKind.REST_FAIL;
        int count = -1;
        if (n.has("count")) {
            if (!counted) {
                throw bad(ErrorCode.INVALID_PARAMETER_NAME, kind.wireName() + " takes no count");
            }
            count = (int) number(n, "count", 1, MAX_COUNT);
        } else if (counted) {
            count = 1;
        }
        boolean delayed = kind == FaultKind.CONNECTION_LATENCY || kind == FaultKind.DELIVERY_DELAY;
        long delayMs = 0;
        if (delayed) {
            if (!n.has("delayMs")) {
                throw bad(
                        ErrorCode.INVALID_PARAMETER_VALUE,
                        kind.wireName() + " needs delayMs (1.." + MAX_DELAY_MS + ")");
            }
            delayMs = number(n, "delayMs", 1, MAX_DELAY_MS);
        } else if (n.has("delayMs")) {
            throw bad(ErrorCode.INVALID_PARAMETER_NAME, kind.wireName() + " takes no delayMs");
        }
        long ttlMs = n.has("ttlMs") ? number(n, "ttlMs", 1, Fault.MAX_TTL_MS) : Fault.DEFAULT_TTL_MS;
        ErrorInfo error = error(n.get("error"), kind);
        return new Fault.Spec(kind, appId, connectionId, clientId, channel, method, path, error, count, delayMs, ttlMs);
    }

    /** {@code error}: {@code {code, statusCode?, message?}}; the kinds whose error is fixed take none. */
    private static @Nullable ErrorInfo error(@Nullable JsonNode e, FaultKind kind) {
        if (e == null || e.isNull()) {
            return null;
        }
        if (kind == FaultKind.TOKEN_EXPIRE
                || kind == FaultKind.TOKEN_REVOKE
                || kind == FaultKind.CONNECTION_DROP
                || kind == FaultKind.CONNECTION_LATENCY
                || kind == FaultKind.DELIVERY_DELAY
                || kind == FaultKind.DELIVERY_DUPLICATE) {
            throw bad(ErrorCode.INVALID_PARAMETER_NAME, kind.wireName() + " takes no error");
        }
        if (!e.isObject()) {
            throw bad(ErrorCode.INVALID_PARAMETER_VALUE, "error must be an object {code, statusCode?, message?}");
        }
        for (Iterator<String> it = e.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("code", "statusCode", "message").contains(f)) {
                throw bad(ErrorCode.INVALID_PARAMETER_NAME, "Unknown field 'error." + clip(f) + "'");
            }
        }
        if (!e.has("code")) {
            throw bad(ErrorCode.INVALID_PARAMETER_VALUE, "error.code is required (10000..99999)");
        }
        int code = (int) number(e, "code", 10_000, 99_999);
        int status = e.has("statusCode") ? (int) number(e, "statusCode", 400, 599) : defaultStatus(code);
        String message = text(e, "message", MAX_MESSAGE);
        return ErrorInfo.of(code, status, message != null ? message : "Injected fault (" + code + ")");
    }

    /** An Ably code's usual status: its first three digits when they are one, else 400. */
    private static int defaultStatus(int code) {
        int s = code / 100;
        return s >= 400 && s <= 599 ? s : 400;
    }

    private static @Nullable String text(JsonNode n, String field, int max) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw bad(ErrorCode.INVALID_PARAMETER_VALUE, field + " must be a non-empty string");
        }
        String s = v.asText();
        if (s.length() > max) {
            throw bad(ErrorCode.INVALID_PARAMETER_VALUE, field + " must be at most " + max + " characters");
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.isISOControl(s.charAt(i))) {
                throw bad(ErrorCode.INVALID_PARAMETER_VALUE, field + " must not hold control characters");
            }
        }
        return s;
    }

    private static long number(JsonNode n, String field, long min, long max) {
        JsonNode v = n.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw bad(ErrorCode.INVALID_PARAMETER_VALUE, field + " must be an integer in " + min + ".." + max);
        }
        return v.asLong();
    }

    private static AblyException bad(ErrorCode code, String message) {
        return new AblyException(code, message);
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}

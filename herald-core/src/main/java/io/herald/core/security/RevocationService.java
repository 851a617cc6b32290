package io.herald.core.security;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Timings;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.RevocationStore;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Stages;
import io.herald.core.observe.Observer;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /keys/{keyName}/revokeTokens} (SPEC RSA17; docs/protocol.md §4.12): Basic auth with that key only
 * (40162 for token auth), only for keys with revocable tokens, at most 100 targets {@code clientId:…} or
 * {@code revocationKey:…}. Answers the batch result form the SDKs expect.
 */
public final class RevocationService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RevocationService.class);
    public static final int MAX_TARGETS = 100;

    private final KeyRegistry keys;
    private final RevocationStore store;
    private final Timings timings;
    private final Clock clock;
    private final Observer observer;

    public RevocationService(KeyRegistry keys, RevocationStore store, Timings timings, Clock clock, Observer observer) {
        this.keys = keys;
        this.store = store;
        this.timings = timings;
        this.clock = clock;
        this.observer = observer;
    }

    /**
     * Revokes, now, every token of {@code clientId} issued until now by the app's keys with revocable tokens (an
     * injected {@code token.revoke} fault, docs/faults.md), as {@code revokeTokens} with a {@code clientId:} target
     * does for one key. Returns how many keys it applied to.
     */
    public int revokeClientId(String appId, String clientId) {
        AppConfig app = keys.app(appId);
        if (app == null) {
            return 0;
        }
        long now = clock.millis();
        int n = 0;
        for (KeyConfig key : app.keys()) {
            if (key.revocableTokens()) {
                Stages.guard(() -> store.add(
                                new Revocation(key.keyName(), "clientId", clientId, now, now, expiresAt(now, now))))
                        .whenComplete((v, t) -> {
                            if (t != null) {
                                LOG.warn(
                                        "revoking the tokens of {} on {} failed: {}",
                                        clientId,
                                        key.keyName(),
                                        t.toString());
                            }
                        });
                observer.tokensRevoked(key.keyName(), 1);
                n++;
            }
        }
        return n;
    }

    /**
     * When a revocation can be forgotten: once every token it covers has expired, i.e. tokens issued before {@code
     * issuedBefore} (a JWT's iat may be ahead by up to the TokenRequest window) living at most the longest token
     * lifetime of any key.
     */
    private long expiresAt(long issuedBefore, long appliesAt) {
        return Math.max(
                appliesAt,
                issuedBefore
                        + timings.tokenRequestWindow().toMillis()
                        + Authenticator.maxTokenLifetime(timings).toMillis());
    }

    public CompletionStage<Map<String, Object>> revoke(String pathKeyName, AuthContext caller, JsonNode body) {
        return Stages.guard(() -> {
            if (caller == null) {
                throw new AblyException(ErrorCode.UNAUTHORIZED, "revokeTokens needs Basic authentication with the key");
            }
            if (caller.isToken()) {
                throw new AblyException(
                        ErrorCode.TOKEN_AUTH_REQUIRED,
                        "Cannot revoke tokens when using token auth; use Basic authentication with the key");
            }
            if (!caller.keyName().equals(pathKeyName)) {
                throw new AblyException(
                        ErrorCode.INVALID_CREDENTIALS, "Basic credentials are not for key " + pathKeyName);
            }
            KeyConfig key = keys.key(pathKeyName);
            if (key == null) {
                throw new AblyException(ErrorCode.NOT_FOUND, "No key found with name " + pathKeyName);
            }
            if (!key.revocableTokens()) {
                throw new AblyException(ErrorInfo.of(
                        40162,
                        401,
                        "Key " + pathKeyName
                                + " does not have revocable tokens enabled; token revocation is not possible"));
            }
            if (body == null || !body.isObject() || !body.path("targets").isArray()) {
                throw new AblyException(
                        ErrorCode.INVALID_REQUEST_BODY,
                        "revokeTokens body must be {\"targets\":[\"clientId:…\",…],\"issuedBefore\"?,\"allowReauthMargin\"?}");
            }
            JsonNode targets = body.get("targets");
            if (targets.isEmpty() || targets.size() > MAX_TARGETS) {
                throw new AblyException(
                        ErrorCode.INVALID_PARAMETER_VALUE,
                        "revokeTokens needs 1 to " + MAX_TARGETS + " targets, got " + targets.size());
            }
            long now = clock.millis();
            long issuedBefore = now;
            JsonNode ib = body.get("issuedBefore");
            if (ib != null && !ib.isNull()) {
                if (!ib.canConvertToLong() || !ib.isIntegralNumber()) {
                    throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "issuedBefore must be a time in ms");
                }
                issuedBefore = ib.asLong();
                if (issuedBefore > now) {
                    throw new AblyException(
                            ErrorCode.INVALID_PARAMETER_VALUE, "issuedBefore must not be in the future");
                }
            }
            boolean margin = body.path("allowReauthMargin").asBoolean(false);
            long appliesAt = margin ? now + timings.revocationMargin().toMillis() : now;
            long expiresAt = expiresAt(issuedBefore, appliesAt);

            List<Map<String, Object>> results = new ArrayList<>();
            List<CompletionStage<Void>> adds = new ArrayList<>();
            int ok = 0;
            int failed = 0;
            for (JsonNode t : targets) {
                String target = t.isTextual() ? t.asText() : t.toString();
                Map<String, Object> r = new LinkedHashMap<>();
                r.put("target", target);
                int colon = target.indexOf(':');
                String type = colon > 0 ? target.substring(0, colon) : "";
                String value = colon > 0 ? target.substring(colon + 1) : "";
                if (!t.isTextual() || value.isEmpty() || !(type.equals("clientId") || type.equals("revocationKey"))) {
                    r.put(
                            "error",
                            ErrorCode.INVALID_PARAMETER_VALUE.info("Invalid revocation target '" + target
                                    + "': expected clientId:<id> or revocationKey:<key>"));
                    failed++;
                } else {
                    adds.add(store.add(new Revocation(pathKeyName, type, value, issuedBefore, appliesAt, expiresAt)));
                    r.put("issuedBefore", issuedBefore);
                    r.put("appliesAt", appliesAt);
                    ok++;
                }
                results.add(r);
            }
            if (ok > 0) {
                observer.tokensRevoked(pathKeyName, ok);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("successCount", ok);
            out.put("failureCount", failed);
            out.put("results", results);
            return CompletableFuture.allOf(adds.stream()
                            .map(CompletionStage::toCompletableFuture)
                            .toArray(CompletableFuture[]::new))
                    .thenApply(v -> out);
        });
    }
}

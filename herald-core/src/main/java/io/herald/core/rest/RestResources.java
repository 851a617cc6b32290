package io.herald.core.rest;

import io.herald.auth.TokenDetails;
import io.herald.core.internal.Stages;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.core.security.KeyRegistry;
import io.herald.core.security.RevocationService;
import io.herald.core.security.TokenService;
import io.herald.protocol.Format;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BooleanSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The REST resources: time, tokens, revocation and health here; channels, batch, stats and the sandbox in their own
 * classes.
 */
public final class RestResources {
    private final Clock clock;
    private final Authenticator authenticator;
    private final TokenService tokens;
    private final RevocationService revocations;
    private final KeyRegistry keys;
    private final ChannelResource channels;
    private final BatchResource batch;
    private final StatsResource stats;
    private final @Nullable SandboxResource sandbox;
    private final BooleanSupplier engineReady;

    public RestResources(
            Clock clock,
            Authenticator authenticator,
            TokenService tokens,
            RevocationService revocations,
            KeyRegistry keys,
            ChannelResource channels,
            BatchResource batch,
            StatsResource stats,
            @Nullable SandboxResource sandbox,
            BooleanSupplier engineReady) {
        this.clock = clock;
        this.authenticator = authenticator;
        this.tokens = tokens;
        this.revocations = revocations;
        this.keys = keys;
        this.channels = channels;
        this.batch = batch;
        this.stats = stats;
        this.sandbox = sandbox;
        this.engineReady = engineReady;
    }

    ChannelResource channels() {
        return channels;
    }

    BatchResource batch() {
        return batch;
    }

    StatsResource stats() {
        return stats;
    }

    @Nullable
    SandboxResource sandbox() {
        return sandbox;
    }

    /** {@code GET /time}: {@code [ms]} (SPEC RSC16). */
    CompletionStage<RestResponse> time(RestCall call) {
        return CompletableFuture.completedFuture(call.ok(200, List.of(clock.millis())));
    }

    /** {@code POST /keys/{keyName}/requestToken} (docs/protocol.md §4.8). Signed requests need no auth. */
    CompletionStage<RestResponse> requestToken(RestCall call) {
        String keyName = call.segment(1);
        AuthContext caller = call.request.header("authorization") != null ? call.authenticate(authenticator) : null;
        int dot = keyName.indexOf('.');
        String app = dot > 0 ? keyName.substring(0, dot) : null;
        return Stages.guard(() -> tokens.requestToken(keyName, call.bodyTree(), caller, call.request.remoteAddress()))
                .whenComplete((td, t) -> {
                    if (app != null && keys.app(app) != null) {
                        stats.counters().tokenRequest(app, t == null);
                    }
                })
                // JSON as herald-auth writes it, without a map through the generic encoder (JMH writeDetailsText)
                .thenApply((TokenDetails td) -> call.responseFormat == Format.JSON
                        ? call.okBytes(200, td.toJson().getBytes(StandardCharsets.UTF_8))
                        : call.ok(200, tokenDetails(td)));
    }

    static Map<String, Object> tokenDetails(TokenDetails td) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", td.token());
        m.put("keyName", td.keyName());
        m.put("issued", td.issued());
        m.put("expires", td.expires());
        m.put("capability", td.capability());
        if (td.clientId() != null) {
            m.put("clientId", td.clientId());
        }
        return m;
    }

    /** {@code POST /keys/{keyName}/revokeTokens} (SPEC RSA17). */
    CompletionStage<RestResponse> revokeTokens(RestCall call) {
        String keyName = call.segment(1);
        AuthContext caller = call.authenticate(authenticator);
        return revocations.revoke(keyName, caller, call.bodyTree()).thenApply(r -> call.ok(200, r));
    }

    CompletionStage<RestResponse> live(RestCall call) {
        return CompletableFuture.completedFuture(call.ok(200, Map.of("status", "live")));
    }

    CompletionStage<RestResponse> ready(RestCall call) {
        boolean engine = engineReady.getAsBoolean();
        boolean haveKeys = !keys.isEmpty();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", engine && haveKeys ? "ready" : "not ready");
        body.put("engine", engine ? "reachable" : "unreachable");
        body.put("keys", haveKeys ? "loaded" : "none");
        return CompletableFuture.completedFuture(call.ok(engine && haveKeys ? 200 : 503, body));
    }
}

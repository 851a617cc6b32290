package io.herald.junit;

import io.ably.lib.rest.Auth;
import io.ably.lib.types.AblyException;
import io.ably.lib.types.ClientOptions;
import io.herald.auth.ApiKey;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;

/**
 * ably-java {@link ClientOptions} pointed at a {@link HeraldInstance}: host {@code 127.0.0.1}, its port, no TLS, no
 * fallback hosts and no HTTP retries, so that a failure shows at once. Everything else is ably-java's default
 * ({@code autoConnect} included). Each call returns new options the test may change further.
 *
 * <p>This is the only class of the module that uses ably-java, an optional dependency: a project that wants only the
 * server never loads it.
 */
public final class HeraldAbly {
    private final HeraldInstance herald;

    HeraldAbly(HeraldInstance herald) {
        this.herald = herald;
    }

    /** Options without credentials: where the server is, nothing more. */
    public ClientOptions baseOptions() {
        ClientOptions o = new ClientOptions();
        o.restHost = herald.host();
        o.realtimeHost = herald.host();
        o.port = herald.port();
        o.tls = false;
        o.fallbackHosts = new String[0];
        o.httpMaxRetryCount = 0;
        return o;
    }

    /** Basic auth with {@link HeraldInstance#key()}. */
    public ClientOptions clientOptions() {
        return clientOptions(herald.key());
    }

    /** Basic auth with {@code key}. */
    public ClientOptions clientOptions(ApiKey key) {
        ClientOptions o = baseOptions();
        o.key = key.keyString();
        return o;
    }

    /** Token auth as {@code clientId}, with tokens requested from TokenRequests that {@link HeraldInstance#key()} signs. */
    public ClientOptions clientOptions(String clientId) {
        return clientOptions(herald.key(), clientId);
    }

    /**
     * Token auth as {@code clientId}: the SDK's {@code authCallback} returns a TokenRequest signed with {@code key}
     * (as an app's auth endpoint would), which the SDK exchanges for a token; renewals work the same way.
     */
    public ClientOptions clientOptions(ApiKey key, String clientId) {
        ClientOptions o = baseOptions();
        o.clientId = clientId;
        o.authCallback = params -> tokenRequest(key, clientId);
        return o;
    }

    /** A TokenRequest for {@code clientId} signed with {@code key}, as ably-java's type. */
    public static Auth.TokenRequest tokenRequest(ApiKey key, String clientId) throws AblyException {
        String json = TokenRequests.create(key, new TokenParams().withClientId(clientId))
                .toJson();
        return Auth.TokenRequest.fromJson(json);
    }
}

package io.herald.core.config;

import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import java.util.Objects;

/**
 * An API key of an app with what it may do.
 *
 * @param key             the key (appId.keyId:secret)
 * @param capability      the most any credential derived from this key may do
 * @param revocableTokens tokens of this key can be revoked (and live at most {@link Timings#maxRevocableTokenTtl()})
 */
public record KeyConfig(ApiKey key, Capability capability, boolean revocableTokens) {
    public KeyConfig {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(capability, "capability");
    }

    public static KeyConfig fullAccess(ApiKey key) {
        return new KeyConfig(key, Capability.ALL, false);
    }

    public String keyName() {
        return key.keyName();
    }

    public String appId() {
        return key.appId();
    }
}

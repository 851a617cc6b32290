package io.herald.core.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.auth.ApiKey;
import io.herald.core.config.AppConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.internal.AblyException;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Apps and keys at runtime: per-app limits, reloads that keep provisioned apps, replace and remove. */
class KeyRegistryTest {
    private final ApiKey a1 = ApiKey.generate("a");
    private final ApiKey a2 = ApiKey.generate("a");
    private final ApiKey b1 = ApiKey.generate("b");
    private final Limits ownLimits = Limits.DEFAULTS.withRates(1, 1, 1);
    private final KeyRegistry keys = new KeyRegistry(
            List.of(
                    new AppConfig("a", List.of(KeyConfig.fullAccess(a1), KeyConfig.fullAccess(a2))),
                    new AppConfig("b", List.of(KeyConfig.fullAccess(b1)), List.of(), List.of(), ownLimits)),
            Limits.DEFAULTS);

    @Test
    void lookups_andLimitsPerAppWithTheNodeDefault() {
        assertThat(keys.key(a1.keyName()).key()).isEqualTo(a1);
        assertThat(keys.key("a.none")).isNull();
        assertThat(keys.app("b").keys()).hasSize(1);
        assertThat(keys.apps()).extracting(AppConfig::appId).containsExactlyInAnyOrder("a", "b");
        assertThat(keys.limits("b")).isSameAs(ownLimits);
        assertThat(keys.limits("a")).isSameAs(Limits.DEFAULTS);
        assertThat(keys.limits("unknown")).isSameAs(Limits.DEFAULTS);
        assertThat(keys.limits(null)).isSameAs(Limits.DEFAULTS);
        assertThat(keys.isEmpty()).isFalse();
        assertThat(new KeyRegistry(List.of(), Limits.DEFAULTS).isEmpty()).isTrue();
    }

    @Test
    void put_replacesAnAppsKeys() {
        keys.put(new AppConfig("a", List.of(KeyConfig.fullAccess(a2))));
        assertThat(keys.key(a1.keyName())).isNull();
        assertThat(keys.key(a2.keyName())).isNotNull();
        assertThat(keys.isDynamic("a")).isFalse();
    }

    @Test
    void replaceConfigured_keepsProvisionedApps_andReportsRemovedKeys() {
        ApiKey d1 = ApiKey.generate("dyn");
        keys.putDynamic(new AppConfig("dyn", List.of(KeyConfig.fullAccess(d1))));
        assertThat(keys.isDynamic("dyn")).isTrue();
        ApiKey c1 = ApiKey.generate("c");
        var removed = keys.replaceConfigured(List.of(
                new AppConfig("a", List.of(KeyConfig.fullAccess(a1))),
                new AppConfig("c", List.of(KeyConfig.fullAccess(c1)))));
        assertThat(removed).containsExactlyInAnyOrder(a2.keyName(), b1.keyName());
        assertThat(keys.key(d1.keyName())).as("provisioned app kept").isNotNull();
        assertThat(keys.key(c1.keyName())).isNotNull();
        assertThat(keys.app("b")).isNull();

        var none = keys.replaceConfigured(List.of(
                new AppConfig("a", List.of(KeyConfig.fullAccess(a1))),
                new AppConfig("c", List.of(KeyConfig.fullAccess(c1))),
                new AppConfig("dyn", List.of(KeyConfig.fullAccess(d1)))));
        assertThat(none).isEmpty();
        assertThat(keys.isDynamic("dyn")).as("now configured").isFalse();
    }

    @Test
    void remove_andReplaceAll() {
        keys.putDynamic(new AppConfig("dyn", List.of(KeyConfig.fullAccess(ApiKey.generate("dyn")))));
        assertThat(keys.remove("dyn")).isTrue();
        assertThat(keys.isDynamic("dyn")).isFalse();
        assertThat(keys.remove("dyn")).isFalse();
        assertThat(keys.remove("a")).isTrue();
        assertThat(keys.key(a1.keyName())).isNull();
        keys.replaceAll(List.of());
        assertThat(keys.isEmpty()).isTrue();
        assertThat(keys.apps()).isEmpty();
    }

    @Test
    void connectionsPerKey_areCountedAgainstTheAppsLimit() {
        Limits two = Limits.DEFAULTS.withMaxConnectionsPerKey(2);
        RateLimits limits = new RateLimits(Clock.systemUTC(), app -> app.equals("a") ? two : Limits.DEFAULTS);
        limits.acquireConnection(a1.keyName());
        limits.acquireConnection(a1.keyName());
        assertThatThrownBy(() -> limits.acquireConnection(a1.keyName()))
                .isInstanceOf(AblyException.class)
                .satisfies(e -> {
                    assertThat(((AblyException) e).error().code()).isEqualTo(40111);
                    assertThat(((AblyException) e).error().statusCode()).isEqualTo(403);
                });
        assertThat(limits.connections(a1.keyName())).isEqualTo(2);
        limits.releaseConnection(a1.keyName());
        limits.acquireConnection(a1.keyName());
        limits.acquireConnection(b1.keyName());
        limits.acquireConnection(b1.keyName());
        limits.acquireConnection(b1.keyName());
        assertThat(limits.connections(b1.keyName())).as("0 means unlimited").isEqualTo(3);
        limits.releaseConnection("a.never");
        assertThat(limits.connections("a.never")).isZero();
    }
}

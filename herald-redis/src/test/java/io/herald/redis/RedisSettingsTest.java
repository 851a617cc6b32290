package io.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RedisSettingsTest {
    @Test
    void from_noOption_isLocalRedisWithDefaults() {
        RedisSettings s = RedisSettings.from(Map.of());
        assertThat(s.uri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(s.prefix()).isEqualTo("herald");
        assertThat(s.nodeTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(3));
    }

    @Test
    void from_heraldParameters_areTakenOutOfTheUriForLettuce() {
        RedisSettings s = RedisSettings.from(Map.of(
                "redis", "redis://:secret@10.0.0.5:6380/2?prefix=eu&nodeTimeout=10s&timeout=5s&commandTimeout=500ms"));
        assertThat(s.uri()).isEqualTo("redis://:secret@10.0.0.5:6380/2?timeout=5s");
        assertThat(s.prefix()).isEqualTo("eu");
        assertThat(s.nodeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(s.describe()).isEqualTo("redis://10.0.0.5:6380/2");
    }

    @Test
    void from_badValues_failNamingTheSetting() {
        assertThatThrownBy(() -> RedisSettings.from(Map.of("redis", "http://x")))
                .hasMessageContaining("redis://");
        assertThatThrownBy(() -> RedisSettings.from(Map.of("redis", "redis://x?nodeTimeout=soon")))
                .hasMessageContaining("nodeTimeout");
        assertThatThrownBy(() -> RedisSettings.from(Map.of("redis", "redis://x?nodeTimeout=1s")))
                .hasMessageContaining("at least 2s");
        assertThatThrownBy(() -> RedisSettings.from(Map.of("redis", "redis://x?prefix={a}")))
                .hasMessageContaining("prefix");
    }
}

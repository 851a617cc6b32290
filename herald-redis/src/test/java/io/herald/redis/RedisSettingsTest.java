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

    @Test
    void from_clusterUri_givesOneLettuceUriPerSeed_withCredentialsAndLettuceParameters() {
        RedisSettings s = RedisSettings.from(Map.of(
                "redis", "redis-cluster://:secret@10.0.0.1:7000,10.0.0.2:7001?prefix=eu&timeout=5s&nodeTimeout=10s"));
        assertThat(s.cluster()).isTrue();
        assertThat(s.clusterSeeds())
                .containsExactly(
                        "redis://:secret@10.0.0.1:7000?timeout=5s", "redis://:secret@10.0.0.2:7001?timeout=5s");
        assertThat(s.uri()).isEqualTo(s.clusterSeeds().get(0));
        assertThat(s.prefix()).isEqualTo("eu");
        assertThat(s.nodeTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.describe()).isEqualTo("redis-cluster://10.0.0.1:7000,10.0.0.2:7001");

        RedisSettings tls = RedisSettings.from(Map.of("redis", "rediss-cluster://h1:7000"));
        assertThat(tls.clusterSeeds()).containsExactly("rediss://h1:7000");
        assertThat(RedisSettings.from(Map.of("redis", "redis://h1:7000")).cluster())
                .isFalse();
    }

    @Test
    void from_clusterUriWithAnEmptyOrBadNode_failsNamingIt() {
        assertThatThrownBy(() -> RedisSettings.from(Map.of("redis", "redis-cluster://h1:7000,,h2:7000")))
                .hasMessageContaining("empty cluster node");
        assertThatThrownBy(() -> RedisSettings.from(Map.of("redis", "redis-cluster://h1:7000,:x")))
                .hasMessageContaining("is not host:port");
    }
}

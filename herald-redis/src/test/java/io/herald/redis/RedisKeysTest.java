package io.herald.redis;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.engine.ChannelId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisKeysTest {
    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"app|chat", "app|persisted:room", "a:b|c", "a|b:c", "app|{braces}}", "app|100%", "app|%3A"})
    void tag_anyChannel_roundTripsAndHasOneHashTag(String app, String name) {
        ChannelId id = new ChannelId(app, name);
        String tag = RedisKeys.tag(id);
        assertThat(RedisKeys.channelOf(tag)).isEqualTo(id);
        assertThat(tag.indexOf('}')).isEqualTo(tag.length() - 1);
        assertThat(tag.lastIndexOf('{')).isZero();
    }

    @Test
    void tag_namesThatDifferOnlyBySeparator_doNotCollide() {
        assertThat(RedisKeys.tag(new ChannelId("a:b", "c"))).isNotEqualTo(RedisKeys.tag(new ChannelId("a", "b:c")));
    }

    @Test
    void channelKeys_shareTheChannelsHashTag() {
        RedisKeys keys = new RedisKeys("herald");
        String tag = RedisKeys.tag(new ChannelId("app", "x"));
        assertThat(keys.state(tag)).isEqualTo("herald:{app:x}:s");
        assertThat(keys.log(tag)).isEqualTo("herald:{app:x}:l");
        assertThat(keys.events(tag)).isEqualTo("herald:{app:x}:e");
    }
}

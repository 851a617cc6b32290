package io.herald.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChannelSerialTest {

    @Test
    void serialsOfOneLogLifeSortAsStringsInLogOrder() {
        // @ably/chat compares serials as strings to order messages and to pick the newer version of one
        List<String> inLogOrder = new ArrayList<>();
        for (long seq : new long[] {1, 2, 9, 10, 13, 99, 100, 1_000, 123_456_789_012L}) {
            for (int index : new int[] {0, 1, 2, 9, 10, 11, 100, 999}) {
                inLogOrder.add(new ChannelSerial("a1b2c3d4", seq).messageSerial(index));
            }
        }
        assertThat(inLogOrder).isSorted();
        List<String> channelSerials = new ArrayList<>();
        for (long seq = 0; seq < 2_000; seq += 7) {
            channelSerials.add(new ChannelSerial("e", seq).toString());
        }
        assertThat(channelSerials).isSorted();
    }

    @Test
    void writtenZeroPadded_readInAnyWidth() {
        assertThat(new ChannelSerial("ep", 13).toString()).isEqualTo("ep-000000000013");
        assertThat(new ChannelSerial("ep", 0).toString()).isEqualTo("ep-000000000000");
        assertThat(new ChannelSerial("ep", 13).messageSerial(2)).isEqualTo("ep-000000000013:002");
        assertThat(new ChannelSerial("ep", 1_234_567_890_123L).toString())
                .as("wider than the padding: written in full")
                .isEqualTo("ep-1234567890123");
        assertThat(new ChannelSerial("ep", 999_999_999_999L).messageSerial(999))
                .as("exactly as wide as the padding")
                .isEqualTo("ep-999999999999:999");
        assertThat(new ChannelSerial("ep", 1_000_000_000_000L).messageSerial(1_000))
                .isEqualTo("ep-1000000000000:1000");
        assertThat(new ChannelSerial("ep", 9).messageSerial(10)).isEqualTo("ep-000000000009:010");
        assertThat(ChannelSerial.parse("ep-13")).isEqualTo(new ChannelSerial("ep", 13));
        assertThat(ChannelSerial.parse("ep-000000000013")).isEqualTo(new ChannelSerial("ep", 13));
        assertThat(ChannelSerial.parse(new ChannelSerial("x9", 42).toString())).isEqualTo(new ChannelSerial("x9", 42));
        assertThat(ChannelSerial.parse("ep-1234567890123456789"))
                .as("over 18 digits")
                .isNull();
        assertThat(ChannelSerial.parse("ep-")).isNull();
        assertThat(ChannelSerial.parse("-12")).isNull();
    }

    @Test
    void sameSerial_comparesPositionsWhateverTheWidth() {
        assertThat(Versions.sameSerial("ep-13:2", "ep-000000000013:002")).isTrue();
        assertThat(Versions.sameSerial("ep-13:2", "ep-13:2")).isTrue();
        assertThat(Versions.sameSerial("ep-13:2", "ep-13:3")).isFalse();
        assertThat(Versions.sameSerial("ep-13:2", "eq-13:2")).isFalse();
        assertThat(Versions.sameSerial("other-server-serial", "ep-13:2")).isFalse();
        assertThat(Versions.sameSerial("x@y", "x@y"))
                .as("foreign serials compare as strings")
                .isTrue();
        assertThat(Versions.sameSerial(null, "ep-1:0")).isFalse();
        assertThat(Versions.canonical("ep-13:2")).isEqualTo("ep-000000000013:002");
        assertThat(Versions.canonical("not-a:serial")).isEqualTo("not-a:serial");
        assertThat(Versions.canonical("ep-000000000013:002")).isEqualTo("ep-000000000013:002");
    }
}

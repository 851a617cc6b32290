package io.herald.core.observe;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The hot-path counters: deltas per drain, gauges per minute, ended minutes drained once more and forgotten. */
class AppStatsTest {
    private final MutableClock clock = new MutableClock(1_800_000_000_000L - 1_800_000_000_000L % 60_000);
    private final AppStats stats = new AppStats(clock);

    @Test
    void drain_givesDeltasSinceTheLastDrain() {
        stats.messages("a", true, true, false, 2, 10);
        List<AppStats.Flush> first = stats.drain();
        assertThat(first).hasSize(1);
        assertThat(first.get(0).sums())
                .containsEntry("messages.inbound.rest.messages.count", 2L)
                .containsEntry("messages.inbound.rest.messages.data", 10L);
        stats.messages("a", true, true, false, 1, 5);
        assertThat(stats.drain().get(0).sums()).containsEntry("messages.inbound.rest.messages.count", 1L);
        assertThat(stats.drain()).isEmpty();
    }

    @Test
    void connections_peakAndMinWithinTheMinute_andOpenedCount() {
        stats.connectionOpened("a");
        stats.connectionOpened("a");
        stats.connectionClosed("a");
        AppStats.Flush f = stats.drain().get(0);
        assertThat(f.sums()).containsEntry("connections.all.opened", 2L);
        assertThat(f.gauges()).containsEntry("connections.all.peak", 2L).containsEntry("connections.all.min", 0L);
        assertThat(stats.connections("a")).isEqualTo(1);
    }

    @Test
    void nextMinute_startsAtTheCurrentLevel_evenWithoutTraffic() {
        stats.channelOpened("a");
        stats.drain();
        clock.advance(Duration.ofMinutes(1));
        stats.sample();
        List<AppStats.Flush> flushes = stats.drain();
        AppStats.Flush now = flushes.stream()
                .filter(f -> f.minute() == clock.millis())
                .findFirst()
                .orElseThrow();
        assertThat(now.gauges()).containsEntry("channels.peak", 1L).containsEntry("channels.mean", 1L);
    }

    @Test
    void endedMinute_isDrainedOnceMoreThenForgotten() {
        stats.apiRequest("a", true);
        stats.drain();
        clock.advance(Duration.ofMinutes(1));
        stats.apiRequest("a", false); // lands in the new minute
        List<AppStats.Flush> after = stats.drain();
        assertThat(after).extracting(AppStats.Flush::minute).containsExactly(clock.millis());
        clock.advance(Duration.ofMinutes(3));
        stats.drain();
        stats.drain();
        assertThat(stats.drain()).isEmpty();
    }

    @Test
    void counters_areNumberedInDeclarationOrder() {
        AppStats.Counter[] all = AppStats.Counter.values();
        for (int i = 0; i < all.length; i++) {
            stats.add("a", all[i], i + 1);
        }
        java.util.Map<String, Long> sums = stats.drain().get(0).sums();
        for (int i = 0; i < all.length; i++) {
            assertThat(sums).containsEntry(all[i].entry(), (long) i + 1);
        }
    }
}

package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.internal.AblyException;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Stats parameters: interval ids, units, defaults. */
class StatsQueryTest {
    private static long at(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    @Test
    void intervalIds_perUnit() {
        long t = at("2025-02-03T15:04:30Z");
        assertThat(StatsQuery.Unit.MINUTE.id(t)).isEqualTo("2025-02-03:15:04");
        assertThat(StatsQuery.Unit.HOUR.id(t)).isEqualTo("2025-02-03:15");
        assertThat(StatsQuery.Unit.DAY.id(t)).isEqualTo("2025-02-03");
        assertThat(StatsQuery.Unit.MONTH.id(t)).isEqualTo("2025-02");
        assertThat(StatsQuery.Unit.MONTH.truncate(t)).isEqualTo(at("2025-02-01T00:00:00Z"));
        assertThat(StatsQuery.Unit.MONTH.next(at("2025-02-01T00:00:00Z"))).isEqualTo(at("2025-03-01T00:00:00Z"));
    }

    @Test
    void startAndEnd_asIntervalIds_coverTheWholeInterval() {
        StatsQuery q = StatsQuery.parse(Map.of("start", "2025-02-03:15", "end", "2025-02-03:18", "by", "hour"), 0);
        assertThat(q.unit()).isEqualTo(StatsQuery.Unit.HOUR);
        assertThat(q.start()).isEqualTo(at("2025-02-03T15:00:00Z"));
        assertThat(q.end()).isEqualTo(at("2025-02-03T18:00:00Z"));
        StatsQuery m = StatsQuery.parse(Map.of("end", "2025-02-03:15:04"), 0);
        assertThat(m.end()).isEqualTo(at("2025-02-03T15:04:00Z"));
        assertThat(m.forwards()).isFalse();
        assertThat(m.limit()).isEqualTo(100);
    }

    @Test
    void defaults_minuteBackwardsUpToNow() {
        long now = at("2026-01-01T10:10:10Z");
        StatsQuery q = StatsQuery.parse(Map.of(), now);
        assertThat(q.unit()).isEqualTo(StatsQuery.Unit.MINUTE);
        assertThat(q.end()).isEqualTo(at("2026-01-01T10:10:00Z"));
        assertThat(q.start()).isZero();
    }

    @Test
    void invalidDate_is40003() {
        assertThatThrownBy(() -> StatsQuery.parse(Map.of("start", "2025-02-30"), 0))
                .isInstanceOf(AblyException.class)
                .hasMessageContaining("start");
    }
}

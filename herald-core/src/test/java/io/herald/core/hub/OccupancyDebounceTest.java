package io.herald.core.hub;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.engine.OccupancyCounts;
import io.herald.protocol.Flags;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OccupancyDebounceTest {
    private static Map<String, Integer> metrics(int connections, int publishers, int members) {
        return OccupancyMetrics.of(
                new OccupancyCounts(connections, publishers, connections, 0, connections, 0, 0), members);
    }

    @Test
    void offer_firstMetrics_goAtOnce() {
        OccupancyDebounce d = new OccupancyDebounce(15_000);
        assertThat(d.offer(metrics(1, 1, 0), 1_000)).isZero();
    }

    @Test
    void offer_sameMetrics_nothing() {
        OccupancyDebounce d = new OccupancyDebounce(15_000);
        d.sent(metrics(1, 1, 0), 1_000);
        assertThat(d.offer(metrics(1, 1, 0), 50_000)).isEqualTo(OccupancyDebounce.NOTHING);
    }

    @Test
    void offer_modeChange_goesAtOnceEvenWithinTheInterval() {
        OccupancyDebounce d = new OccupancyDebounce(15_000);
        d.sent(metrics(1, 0, 0), 1_000);
        // a first publisher, then a first presence member: each a category leaving zero
        assertThat(d.offer(metrics(2, 1, 0), 1_001)).isZero();
        d.sent(metrics(2, 1, 0), 1_001);
        assertThat(d.offer(metrics(2, 1, 1), 1_002)).isZero();
        d.sent(metrics(2, 1, 1), 1_002);
        // and back to none
        assertThat(d.offer(metrics(2, 0, 1), 1_003)).isZero();
    }

    @Test
    void offer_countChangeWithoutModeChange_waitsForTheRestOfTheInterval() {
        OccupancyDebounce d = new OccupancyDebounce(15_000);
        d.sent(metrics(2, 1, 0), 1_000);
        assertThat(d.offer(metrics(3, 1, 0), 4_000)).isEqualTo(12_000);
        assertThat(d.offer(metrics(3, 1, 0), 16_000)).isZero();
        assertThat(d.offer(metrics(3, 1, 0), 20_000)).isZero();
    }

    @Test
    void metrics_countModesAndRenderTheEventData() {
        OccupancyCounts c = OccupancyMetrics.count(OccupancyCounts.ZERO, Flags.MODE_DEFAULT);
        c = OccupancyMetrics.count(c, Flags.MODE_SUBSCRIBE);
        assertThat(c).isEqualTo(new OccupancyCounts(2, 1, 2, 1, 1, 0, 0));
        Map<String, Integer> m = OccupancyMetrics.of(c, 3);
        assertThat(OccupancyMetrics.eventData(m, "metrics"))
                .isEqualTo("{\"metrics\":{\"connections\":2,\"publishers\":1,\"subscribers\":2,"
                        + "\"presenceConnections\":1,\"presenceMembers\":3,\"presenceSubscribers\":1,"
                        + "\"objectPublishers\":0,\"objectSubscribers\":0}}");
        assertThat(OccupancyMetrics.eventData(m, "metrics.publishers")).isEqualTo("{\"metrics\":{\"publishers\":1}}");
        assertThat(OccupancyMetrics.validParam("metrics.subscribers")).isTrue();
        assertThat(OccupancyMetrics.validParam("metrics.bogus")).isFalse();
        assertThat(OccupancyMetrics.validParam("all")).isFalse();
        assertThat(OccupancyCounts.decode(c.encode())).isEqualTo(c);
        assertThat(OccupancyCounts.decode("1,2,x")).isEqualTo(OccupancyCounts.ZERO);
    }
}

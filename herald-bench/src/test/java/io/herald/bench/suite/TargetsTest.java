package io.herald.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The targets table: each aim's measured value and verdict from a made-up run. */
class TargetsTest {
    @Test
    void table_manyChannelsAimsMet_atTheirBoundsInclusive() {
        Results r = SyntheticResults.make("full");
        r.many.put("herald", SyntheticResults.rate(12_000, 1)); // 12,000 under the bound, capacity 24,000
        r.many.put("socketio", SyntheticResults.rate(2_000, 1)); // capacity 4,000
        r.many.put("bare", SyntheticResults.rate(20_000, 1)); // 20,000 under the bound, capacity 40,000

        String t = Targets.table(r, "");

        assertThat(t)
                .contains("| Many channels capacity ≥ 1.5× Socket.IO | 6.00x | met |")
                .contains("| Many channels capacity ≥ 0.5× bare Netty | 0.60x | met |")
                .contains(
                        "| Many channels deliveries per server CPU-second at capacity ≥ 0.5× bare Netty | 0.60x | met |")
                .contains("| Many channels max deliveries/s with p99 ≤ 10.0 ms ≥ 0.6× bare Netty | 0.60x | met |");
    }

    @Test
    void table_missedAims_sayByHowMuch_andUnmeasuredOnesSaySo() {
        Results r = SyntheticResults.make("full");
        Results.Rate herald = SyntheticResults.rate(12_000, 1);
        herald.atMax = null; // no rate met the latency bound
        r.many.put("herald", herald);
        r.many.put("bare", SyntheticResults.rate(20_000, 1));
        r.startMs.put("bare", java.util.List.of(400.0));

        String t = Targets.table(r, "");

        assertThat(t)
                .contains(
                        "| Many channels max deliveries/s with p99 ≤ 10.0 ms ≥ 0.6× bare Netty | 0.00x | **missed** by 100% |")
                .contains("| Many channels capacity ≥ 1.5× Socket.IO | not measured | – |")
                // (100,000,000 - 10,000,000) B over 15,000 connections = 5.86 KiB
                .contains("| Idle connection < 5 KiB of heap | 5.86 KiB | **missed** by 17% |")
                .contains(
                        "| Server start to ready ≤ bare Netty's (median wall time, Herald / bare) | 2.00x | **missed** by 100% |")
                .contains("| requestToken ≥ 0.8× a bare Netty HTTP endpoint's requests/s | not measured | – |")
                .contains(
                        "| Cross-node (one Redis, many channels): capacity ≥ 10,000 msg/s | 6,000 msg/s | **missed** by 40% |")
                .contains("| Cross-node: p99 < 20.0 ms at ≥ 5,000 msg/s | 3,000 msg/s | **missed** by 40% |");
    }
}

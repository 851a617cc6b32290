package io.herald.core.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The nested Stats form of protocol version 2 (docs/protocol.md §10.6), as ably-java 1.5 reads it. */
class LegacyStatsTest {
    @Test
    void flatEntries_becomeTheNestedForm() {
        Map<String, Long> entries = new LinkedHashMap<>();
        entries.put("messages.inbound.realtime.messages.count", 3L);
        entries.put("messages.all.all.count", 5L);
        entries.put("messages.persisted.all.data", 10L);
        entries.put("connections.all.peak", 2L);
        entries.put("channels.opened", 1L);
        entries.put("apiRequests.other.succeeded", 4L);
        entries.put("apiRequests.tokenRequests.failed", 1L);
        entries.put("apiRequests.all.succeeded", 4L);
        entries.put("push.messages", 7L);
        Map<String, Object> stats = new LinkedHashMap<>();
        LegacyStats.nest(entries, stats);
        assertThat(stats)
                .containsOnlyKeys(
                        "inbound", "all", "persisted", "connections", "channels", "apiRequests", "tokenRequests");
        assertThat(stats.get("inbound").toString()).isEqualTo("{realtime={messages={count=3}}}");
        assertThat(stats.get("all").toString()).isEqualTo("{all={count=5}}");
        assertThat(stats.get("connections").toString()).isEqualTo("{all={peak=2}}");
        assertThat(stats.get("channels").toString()).isEqualTo("{opened=1}");
        assertThat(stats.get("apiRequests").toString()).isEqualTo("{succeeded=4}");
        assertThat(stats.get("tokenRequests").toString()).isEqualTo("{failed=1}");
    }

    @Test
    void aLeafAndABranchOnTheSamePath_keepTheFirst() {
        Map<String, Long> entries = new LinkedHashMap<>();
        entries.put("channels.opened", 1L);
        entries.put("channels.opened.x", 2L);
        entries.put("channels.peak.y", 3L);
        entries.put("channels.peak", 4L);
        Map<String, Object> stats = new LinkedHashMap<>();
        LegacyStats.nest(entries, stats);
        assertThat(stats.get("channels").toString()).isEqualTo("{opened=1, peak={y=3}}");
    }
}

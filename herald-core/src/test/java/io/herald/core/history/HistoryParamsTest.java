package io.herald.core.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.internal.AblyException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** History parameters (SPEC RSL2b) and the Link headers of a page. */
class HistoryParamsTest {

    private static HistoryQuery parse(String... kv) {
        Map<String, String> q = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            q.put(kv[i], kv[i + 1]);
        }
        return HistoryParams.parse(HistoryQuery.Kind.MESSAGES, q);
    }

    @Test
    void defaults_backwardsHundredNoBounds() {
        HistoryQuery q = HistoryParams.parse(HistoryQuery.Kind.PRESENCE, Map.of());
        assertThat(q).isEqualTo(new HistoryQuery(HistoryQuery.Kind.PRESENCE, null, null, 100, false, null, null));
    }

    @Test
    void everyParameter_isRead() {
        HistoryQuery q = parse(
                "start",
                "10",
                "end",
                " 20 ",
                "limit",
                "1000",
                "direction",
                "forwards",
                "from_serial",
                "ep0ch-42",
                "cursor",
                "7.3");
        assertThat(q.start()).isEqualTo(10L);
        assertThat(q.end()).isEqualTo(20L);
        assertThat(q.limit()).isEqualTo(1000);
        assertThat(q.forwards()).isTrue();
        assertThat(q.until()).isEqualTo(new ChannelSerial("ep0ch", 42));
        assertThat(q.cursor()).isEqualTo(new HistoryQuery.Cursor(7, 3));
        assertThat(parse("fromSerial", "e-1").until()).isEqualTo(new ChannelSerial("e", 1));
        assertThat(parse("start", "").start()).as("empty is absent").isNull();
        assertThat(parse("start", "5", "end", "5").start()).isEqualTo(5L);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "start|yesterday|start must be a time in ms since the epoch, got 'yesterday'",
                "end|1.5|end must be a time in ms since the epoch, got '1.5'",
                "limit|ten|limit must be a number, got 'ten'",
                "limit|0|limit must be between 1 and 1000, got 0",
                "limit|1001|limit must be between 1 and 1000, got 1001",
                "direction|up|direction must be forwards or backwards, got 'up'",
                "from_serial|no serial|Invalid from_serial 'no serial'",
                "cursor|abc|Invalid cursor 'abc'",
                "cursor|1.x|Invalid cursor '1.x'",
            })
    void badValues_are40003WithTheReason(String name, String value, String message) {
        assertThatThrownBy(() -> parse(name, value))
                .isInstanceOf(AblyException.class)
                .hasMessage(message)
                .satisfies(e -> assertThat(((AblyException) e).error().code()).isEqualTo(40003));
    }

    @Test
    void startAfterEnd_isRefused() {
        assertThatThrownBy(() -> parse("start", "20", "end", "10"))
                .isInstanceOf(AblyException.class)
                .hasMessage("start (20) must not be after end (10)");
    }

    @Test
    void links_firstCurrentAndNext_percentEncoded() {
        HistoryQuery q = new HistoryQuery(
                HistoryQuery.Kind.MESSAGES, 1L, 2L, 2, true, new ChannelSerial("e", 9), new HistoryQuery.Cursor(5, 0));
        HistoryPage page = new HistoryPage(
                List.of(
                        new HistoryItem(new HistoryQuery.Cursor(6, 1), "a"),
                        new HistoryItem(new HistoryQuery.Cursor(7, 0), "b")),
                true);
        assertThat(HistoryParams.links("messages", q, page))
                .containsExactly(
                        "<./messages?start=1&end=2&limit=2&direction=forwards&from_serial=e-000000000009>; rel=\"first\"",
                        "<./messages?start=1&end=2&limit=2&direction=forwards&from_serial=e-000000000009&cursor=5.0>; rel=\"current\"",
                        "<./messages?start=1&end=2&limit=2&direction=forwards&from_serial=e-000000000009&cursor=7.0>; rel=\"next\"");
    }

    @Test
    void links_noNext_whenNoMoreOrEmpty() {
        HistoryQuery q = HistoryParams.parse(HistoryQuery.Kind.PRESENCE, Map.of());
        HistoryItem one = new HistoryItem(new HistoryQuery.Cursor(1, 0), "x");
        assertThat(HistoryParams.links("history", q, new HistoryPage(List.of(one), false)))
                .containsExactly(
                        "<./history?limit=100&direction=backwards>; rel=\"first\"",
                        "<./history?limit=100&direction=backwards>; rel=\"current\"");
        assertThat(HistoryParams.links("history", q, new HistoryPage(List.of(), true)))
                .hasSize(2);
    }
}

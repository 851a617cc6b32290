package io.herald.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TokenIssuanceTest {
    private static Results.Http round(long requests, double p99ms) {
        Results.Http r = new Results.Http();
        r.requests = requests;
        r.seconds = 10;
        r.p99ms = p99ms;
        return r;
    }

    @Test
    void median_theMiddleRoundByRate_notTheLastOrTheFirst() {
        Results.Http slow = round(150_000, 9);
        Results.Http middle = round(220_000, 3);
        Results.Http fast = round(300_000, 1);
        assertThat(TokenIssuance.median(List.of(fast, slow, middle))).isSameAs(middle);
        assertThat(TokenIssuance.median(List.of(middle, fast, slow))).isSameAs(middle);
        assertThat(TokenIssuance.median(List.of(slow))).isSameAs(slow);
        // an even count takes the lower of the middle two: no figure better than one actually measured
        assertThat(TokenIssuance.median(List.of(fast, slow))).isSameAs(slow);
    }

    @Test
    void report_showsEveryRoundBesideTheMedian_onlyWhenThereWereSeveral() throws Exception {
        Results r = SyntheticResults.make("full");
        Results.Http herald = r.token.get("herald");
        assertThat(Report.markdown(r, null)).contains("| 10,000 |").doesNotContain("rounds, servers alternating");
        herald.roundsRps.addAll(List.of(9_000.0, 10_000.0, 12_500.0));
        assertThat(Report.markdown(r, null))
                .contains("| 10,000 (median of 3 rounds, servers alternating: 9,000 / 10,000 / 12,500) |");
    }
}

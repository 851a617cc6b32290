package io.herald.core.fault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.testing.MutableClock;
import io.herald.protocol.ErrorInfo;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class FaultsTest {
    private final MutableClock clock = MutableClock.now();
    private final Faults faults = new Faults(clock);

    private static Fault.Spec spec(
            FaultKind kind,
            @Nullable String connectionId,
            @Nullable String clientId,
            @Nullable String channel,
            @Nullable String method,
            @Nullable String path,
            int count,
            long delayMs,
            long ttlMs) {
        return new Fault.Spec(kind, "app", connectionId, clientId, channel, method, path, null, count, delayMs, ttlMs);
    }

    private static List<String> seg(String path) {
        return Fault.segments(path);
    }

    @Test
    void noFaults_everyQuestionAnswersNothing() {
        assertThat(faults.latencyMillis("app", "c1", null)).isZero();
        assertThat(faults.resumeFailure("app", "c1", null)).isNull();
        assertThat(faults.delivery("app", "ch")).isNull();
        assertThat(faults.attachRefusal("app", "ch", "c1", null)).isNull();
        assertThat(faults.restFailure("GET", seg("/time"), null)).isNull();
    }

    @Test
    void restFault_matchesMethodAndPatternCountsDownThenIsGone() {
        Fault f =
                faults.inject(spec(FaultKind.REST_FAIL, null, null, null, "GET", "/channels/*/messages", 2, 0, 60_000));
        assertThat(f.error()).as("the kind's default error").isNotNull();
        assertThat(faults.restFailure("POST", seg("/channels/a/messages"), "app"))
                .isNull();
        assertThat(faults.restFailure("GET", seg("/channels/a/presence"), "app"))
                .isNull();
        assertThat(faults.restFailure("GET", seg("/channels/a/messages"), "other"))
                .as("another app")
                .isNull();
        ErrorInfo first = faults.restFailure("GET", seg("/channels/a/messages"), "app");
        assertThat(first).isNotNull();
        assertThat(first.statusCode()).isEqualTo(503);
        assertThat(faults.restFailure("GET", seg("/channels/b/messages"), null))
                .as("app unknown: matches")
                .isNotNull();
        assertThat(faults.restFailure("GET", seg("/channels/a/messages"), "app"))
                .as("used up")
                .isNull();
        assertThat(faults.list(null)).isEmpty();
    }

    @Test
    void restPattern_doubleStarMatchesTheRest() {
        faults.inject(spec(FaultKind.REST_FAIL, null, null, null, null, "/channels/**", 10, 0, 60_000));
        assertThat(faults.restFailure("DELETE", seg("/channels/x/messages/1/annotations"), "app"))
                .isNotNull();
        assertThat(faults.restFailure("GET", seg("/channels"), "app")).isNotNull();
        assertThat(faults.restFailure("GET", seg("/stats"), "app")).isNull();
    }

    @Test
    void tokenRequestFail_matchesOnlyTheTokenEndpointOfItsApp() {
        faults.inject(spec(FaultKind.TOKEN_REQUEST_FAIL, null, null, null, null, null, 1, 0, 60_000));
        assertThat(faults.restFailure("POST", seg("/keys/other.k/requestToken"), "other"))
                .isNull();
        assertThat(faults.restFailure("GET", seg("/time"), "app")).isNull();
        assertThat(faults.restFailure("POST", seg("/keys/app.k/requestToken"), "app"))
                .isNotNull();
        assertThat(faults.restFailure("POST", seg("/keys/app.k/requestToken"), "app"))
                .isNull();
    }

    @Test
    void windowFaults_expireOnTheirOwn() {
        faults.inject(spec(FaultKind.CONNECTION_LATENCY, null, "alice", null, null, null, -1, 250, 1_000));
        faults.inject(spec(FaultKind.DELIVERY_DROP, null, null, "ch", null, null, -1, 0, 2_000));
        assertThat(faults.latencyMillis("app", "c1", "alice")).isEqualTo(250);
        assertThat(faults.latencyMillis("app", "c1", "bob")).isZero();
        assertThat(faults.delivery("app", "ch")).isNotNull();
        assertThat(faults.delivery("app", "other")).isNull();
        clock.advance(java.time.Duration.ofMillis(1_000));
        assertThat(faults.latencyMillis("app", "c1", "alice")).isZero();
        assertThat(faults.delivery("app", "ch")).isNotNull();
        clock.advance(java.time.Duration.ofMillis(1_000));
        assertThat(faults.delivery("app", "ch")).isNull();
        assertThat(faults.list(null)).isEmpty();
    }

    @Test
    void resumeFailure_byConnectionIdIsUsedOnce() {
        faults.inject(spec(FaultKind.CONNECTION_FAIL_RESUME, "c1", null, null, null, null, 1, 0, 60_000));
        assertThat(faults.resumeFailure("app", "c2", null)).isNull();
        ErrorInfo e = faults.resumeFailure("app", "c1", null);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(80008);
        assertThat(faults.resumeFailure("app", "c1", null)).isNull();
    }

    @Test
    void oneShotFaults_actOnTheirTargetWhenInjectedAndStayListed() {
        List<Fault> told = new ArrayList<>();
        faults.target(new FaultTarget() {
            @Override
            public int connections(Fault f) {
                told.add(f);
                return 3;
            }

            @Override
            public int channels(Fault f) {
                told.add(f);
                return 1;
            }

            @Override
            public int revokeTokens(Fault f) {
                told.add(f);
                return 0;
            }
        });
        Fault drop = faults.inject(spec(FaultKind.CONNECTION_DROP, null, "alice", null, null, null, -1, 0, 60_000));
        Fault detach = faults.inject(spec(FaultKind.CHANNEL_DETACH, null, null, "ch", null, null, -1, 0, 60_000));
        assertThat(told).containsExactly(drop, detach);
        assertThat(drop.toJson(clock.millis())).containsEntry("applied", 3);
        assertThat(faults.list("app")).containsExactly(drop, detach);
        assertThat(faults.list("other")).isEmpty();
    }

    @Test
    void clearing_oneAllAndByApp() {
        Fault a = faults.inject(spec(FaultKind.DELIVERY_DELAY, null, null, "a", null, null, -1, 10, 60_000));
        faults.inject(spec(FaultKind.DELIVERY_DELAY, null, null, "b", null, null, -1, 10, 60_000));
        assertThat(faults.remove(a.id())).isTrue();
        assertThat(faults.remove(a.id())).isFalse();
        assertThat(faults.delivery("app", "a")).isNull();
        assertThat(faults.clear("other")).isZero();
        assertThat(faults.clear("app")).isEqualTo(1);
        assertThat(faults.delivery("app", "b")).isNull();
    }

    @Test
    void activeFaults_areLimited() {
        for (int i = 0; i < Faults.MAX_ACTIVE; i++) {
            faults.inject(spec(FaultKind.DELIVERY_DUPLICATE, null, null, "c" + i, null, null, -1, 0, 60_000));
        }
        assertThatThrownBy(() ->
                        faults.inject(spec(FaultKind.DELIVERY_DUPLICATE, null, null, "x", null, null, -1, 0, 60_000)))
                .isInstanceOf(Faults.TooManyFaults.class);
        clock.advance(java.time.Duration.ofMillis(60_000));
        faults.inject(spec(FaultKind.DELIVERY_DUPLICATE, null, null, "x", null, null, -1, 0, 60_000));
        assertThat(faults.list(null)).hasSize(1);
    }
}

package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.protocol.ErrorInfo;
import io.herald.server.metrics.MicrometerObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The observer's meters: values, tags, and bounded tag values whatever a client sends. */
class MicrometerObserverTest {
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final MicrometerObserver observer = new MicrometerObserver(registry);

    @Test
    void messagesAndLatency_hotPathCalls_countedAndTimed() {
        observer.messagesIn(3);
        observer.delivered(1);
        observer.delivered(1);
        observer.publishLatency(TimeUnit.MILLISECONDS.toNanos(3));

        assertThat(registry.get("herald.messages.in").functionCounter().count()).isEqualTo(3.0);
        assertThat(registry.get("herald.messages.out").functionCounter().count())
                .isEqualTo(2.0);
        assertThat(registry.get("herald.publish.latency").timer().count()).isEqualTo(1);
        assertThat(registry.get("herald.publish.latency").timer().totalTime(TimeUnit.MILLISECONDS))
                .isEqualTo(3.0);
    }

    @Test
    void restRequest_unknownMethod_taggedOther() {
        observer.restRequest("BREW", "other", 404, 1_000);
        observer.restRequest("GET", "/time", 200, 1_000);

        assertThat(registry.get("herald.rest.requests")
                        .tag("method", "other")
                        .timer()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get("herald.rest.requests")
                        .tags("method", "GET", "route", "/time", "status", "200")
                        .timer()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void refusals_sameCodeTwice_oneCounterPerAblyCode() {
        observer.authFailed(ErrorInfo.of(40142, 401, "Token expired"));
        observer.authFailed(ErrorInfo.of(40142, 401, "Token expired"));
        observer.connectionRefused(ErrorInfo.of(40101, 401, "Invalid credentials"));
        observer.publishRefused(ErrorInfo.of(40160, 401, "no"));

        assertThat(registry.get("herald.auth.failures")
                        .tag("code", "40142")
                        .counter()
                        .count())
                .isEqualTo(2.0);
        assertThat(registry.get("herald.connections.refused")
                        .tag("code", "40101")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("herald.publishes.refused")
                        .tag("code", "40160")
                        .counter()
                        .count())
                .isEqualTo(1.0);
    }

    @Test
    void connectionCalls_upperCaseFormatOrNulls_lowerCaseTagsAndNoThrow() {
        observer.connectionOpened("JSON");
        observer.connectionSuspended("MSGPACK");
        observer.connectionClosed(null);
        observer.engineCall(null, 10, false);
        observer.connectionRefused(null);

        assertThat(registry.get("herald.connections.opened")
                        .tag("format", "json")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("herald.connections.suspended")
                        .tag("format", "msgpack")
                        .counter()
                        .count())
                .isEqualTo(1.0);
        assertThat(registry.get("herald.engine.calls")
                        .tags("operation", "unknown", "outcome", "error")
                        .timer()
                        .count())
                .isEqualTo(1);
    }
}

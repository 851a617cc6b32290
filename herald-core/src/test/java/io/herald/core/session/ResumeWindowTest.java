package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.config.Timings;
import io.herald.core.engine.ConnectionRecord;
import io.herald.core.engine.ConnectionStore;
import io.herald.core.testing.ManualLoop;
import io.herald.core.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;

/**
 * The resume window on a manual loop with the default timings (connectionStateTtl 120 s, presenceLeaveDelay 15 s):
 * the key, the record another node would resume from, and when a suspended connection's members leave and it ends.
 */
class ResumeWindowTest {
    private static final long T0 = 1_800_000_000_000L;
    private final MutableClock clock = new MutableClock(T0);
    private final ManualLoop loop = new ManualLoop(clock);
    private final Store store = new Store();
    private final List<String> events = new ArrayList<>();

    /** A connection store that keeps the last record of each connection, as a shared engine would. */
    private static final class Store implements ConnectionStore {
        final Map<String, ConnectionRecord> records = new HashMap<>();
        int saves;

        @Override
        public CompletionStage<Void> save(ConnectionRecord record) {
            records.put(record.connectionId(), record);
            saves++;
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<ConnectionRecord> load(String connectionId) {
            return CompletableFuture.completedFuture(records.get(connectionId));
        }

        @Override
        public CompletionStage<Void> remove(String connectionId) {
            records.remove(connectionId);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Void> announceTakeover(String connectionId, String nodeId) {
            return CompletableFuture.completedFuture(null);
        }
    }

    private ResumeWindow window(String key) {
        return new ResumeWindow(
                new ResumeWindow.Owner() {
                    @Override
                    public void membersLeave() {
                        events.add("leave@" + (clock.millis() - T0));
                    }

                    @Override
                    public void expired() {
                        events.add("expired@" + (clock.millis() - T0));
                    }
                },
                loop,
                clock,
                store,
                Timings.DEFAULTS,
                "conn1",
                key,
                "app",
                "alice",
                "node-a");
    }

    private ConnectionRecord record() {
        return store.records.get("conn1");
    }

    @Test
    void key_isTheConnectionsOwnOrANewOne_andEveryResumeMakesANewOne() {
        assertThat(window("conn1!given").key()).isEqualTo("conn1!given");
        ResumeWindow w = window(null);
        String first = w.key();
        assertThat(first).startsWith("conn1!").hasSizeGreaterThan("conn1!".length() + 8);
        assertThat(w.matches(first)).isTrue();
        w.renewKey();
        assertThat(w.key()).startsWith("conn1!").isNotEqualTo(first);
        assertThat(w.matches(first)).isFalse();
        assertThat(w.matches(w.key())).isTrue();
    }

    @Test
    void connected_keepsTheRecordFreshEveryHalfTtl() {
        ResumeWindow w = window(null);
        w.connected();
        assertThat(record()).isEqualTo(new ConnectionRecord("conn1", w.key(), "app", "alice", "node-a", T0 + 180_000));
        loop.advance(Duration.ofMillis(59_999));
        assertThat(store.saves).isEqualTo(1);
        loop.advance(Duration.ofMillis(1));
        assertThat(store.saves).isEqualTo(2);
        assertThat(record().expiresAt()).isEqualTo(T0 + 60_000 + 180_000);
        loop.advance(Duration.ofMinutes(10));
        assertThat(store.saves).isEqualTo(12);
        assertThat(events).isEmpty();
    }

    @Test
    void renewedKey_isWhatTheNextSaveRecords() {
        ResumeWindow w = window(null);
        w.connected();
        w.renewKey();
        w.connected();
        assertThat(record().connectionKey()).isEqualTo(w.key());
    }

    @Test
    void suspended_recordLastsTheTtl_membersLeaveAfter15s_connectionEndsAfter120s() {
        ResumeWindow w = window(null);
        w.connected();
        loop.advance(Duration.ofSeconds(10));
        w.suspended();
        assertThat(record().expiresAt()).isEqualTo(T0 + 10_000 + 120_000);
        int saves = store.saves;
        loop.advance(Duration.ofMillis(14_999));
        assertThat(events).isEmpty();
        loop.advance(Duration.ofMillis(1));
        assertThat(events).containsExactly("leave@25000");
        loop.advance(Duration.ofSeconds(105));
        assertThat(events).containsExactly("leave@25000", "expired@130000");
        assertThat(store.saves).as("no refresh while suspended").isEqualTo(saves);
    }

    @Test
    void resumedInTime_nothingRunsOut() {
        ResumeWindow w = window(null);
        w.connected();
        w.suspended();
        loop.advance(Duration.ofSeconds(5));
        w.connected();
        loop.advance(Duration.ofMinutes(5));
        assertThat(events).isEmpty();
        assertThat(record().expiresAt()).isGreaterThan(clock.millis());
    }

    @Test
    void resumedAfterTheLeaveDelay_onlyTheLeaveHappened() {
        ResumeWindow w = window(null);
        w.connected();
        w.suspended();
        loop.advance(Duration.ofSeconds(20));
        w.connected();
        loop.advance(Duration.ofMinutes(5));
        assertThat(events).containsExactly("leave@15000");
    }

    @Test
    void ended_asOwnerForgetsTheRecord_afterATakeoverKeepsIt_andNoTimerFires() {
        ResumeWindow owner = window(null);
        owner.connected();
        owner.suspended();
        owner.ended(true);
        assertThat(record()).isNull();
        ResumeWindow takenOver = window(null);
        takenOver.connected();
        takenOver.ended(false);
        assertThat(record()).isNotNull();
        int saves = store.saves;
        loop.advance(Duration.ofMinutes(10));
        assertThat(events).isEmpty();
        assertThat(store.saves).isEqualTo(saves);
    }
}

package io.herald.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SessionStoreTest {

    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    final User alice = new User("alice", Role.MEMBER);

    @Test
    void create_givesA256BitRandomIdThatFindsTheUser() {
        SessionStore store = new SessionStore(clock, Duration.ofMinutes(30), 100);
        String id = store.create(alice).orElseThrow();
        assertThat(id).matches("[A-Za-z0-9_-]{43}");
        assertThat(store.find(id)).contains(alice);
        assertThat(store.find(id + "x")).isEmpty();
        assertThat(store.find(null)).isEmpty();
        assertThat(store.find("")).isEmpty();
    }

    @Test
    void create_idsAreUnique() {
        SessionStore store = new SessionStore(clock, Duration.ofMinutes(30), 1000);
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 500; i++) {
            ids.add(store.create(alice).orElseThrow());
        }
        assertThat(ids).hasSize(500);
    }

    @Test
    void find_afterIdleTimeout_isEmpty_butUseExtendsTheSession() {
        SessionStore store = new SessionStore(clock, Duration.ofMinutes(30), 100);
        String id = store.create(alice).orElseThrow();
        clock.advance(Duration.ofMinutes(29));
        assertThat(store.find(id)).contains(alice);
        clock.advance(Duration.ofMinutes(29));
        assertThat(store.find(id)).as("extended by the last use").contains(alice);
        clock.advance(Duration.ofMinutes(30));
        assertThat(store.find(id)).isEmpty();
        assertThat(store.size()).isZero();
    }

    @Test
    void invalidate_endsTheSession() {
        SessionStore store = new SessionStore(clock, Duration.ofMinutes(30), 100);
        String id = store.create(alice).orElseThrow();
        store.invalidate(id);
        store.invalidate("unknown");
        store.invalidate(null);
        assertThat(store.find(id)).isEmpty();
    }

    @Test
    void create_whenFull_dropsExpiredSessionsFirst_thenRefuses() {
        SessionStore store = new SessionStore(clock, Duration.ofMinutes(1), 2);
        store.create(alice).orElseThrow();
        store.create(alice).orElseThrow();
        assertThat(store.create(alice)).as("full of live sessions").isEmpty();
        clock.advance(Duration.ofMinutes(2));
        assertThat(store.create(alice)).isPresent();
        assertThat(store.size()).isEqualTo(1);
    }

    @Test
    void constructor_badSettings_areRejected() {
        assertThatThrownBy(() -> new SessionStore(clock, Duration.ZERO, 1)).hasMessageContaining("idleTimeout");
        assertThatThrownBy(() -> new SessionStore(clock, Duration.ofMinutes(1), 0))
                .hasMessageContaining("maxSessions");
    }
}

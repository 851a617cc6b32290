package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.ConnectionState;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.AblyException;
import io.herald.auth.ApiKey;
import org.junit.jupiter.api.Test;

/** {@link HeraldInstance#reset()}: fresh ids and keys on the same port, so the channels used so far are gone. */
@Herald
class ResetTest {
    private final HeraldInstance herald;

    ResetTest(HeraldInstance herald) {
        this.herald = herald;
    }

    @Test
    void resetClearsChannelsAndRetiresOldKeys() throws Exception {
        ApiKey before = herald.key();
        int port = herald.port();
        AblyRest rest = new AblyRest(herald.ably().clientOptions());
        rest.channels.get("kept").publish("m", "before reset");
        assertThat(rest.channels.get("kept").history(null).items()).hasSize(1);

        try (AblyRealtime old = new AblyRealtime(herald.ably().clientOptions())) {
            Sync.awaitState(old, ConnectionState.connected);
            herald.reset();
            Sync.awaitState(old, ConnectionState.disconnected, ConnectionState.suspended, ConnectionState.failed);
        }

        assertThat(herald.port()).isEqualTo(port);
        assertThat(herald.appId()).isEqualTo("test-1");
        assertThat(herald.key().secret()).isNotEqualTo(before.secret());
        AblyRest fresh = new AblyRest(herald.ably().clientOptions());
        assertThat(fresh.channels.get("kept").history(null).items()).isEmpty();
        fresh.channels.get("kept").publish("m", "after reset");
        assertThat(fresh.channels.get("kept").history(null).items()).hasSize(1);
        assertThatThrownBy(() -> rest.channels.get("kept").history(null))
                .isInstanceOfSatisfying(
                        AblyException.class,
                        e -> assertThat(e.errorInfo.statusCode).isEqualTo(401));

        herald.reset();
        assertThat(herald.appId()).isEqualTo("test-2");
    }
}

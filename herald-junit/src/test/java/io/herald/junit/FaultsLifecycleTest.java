package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * {@link HeraldFaults} across a server's life: it follows the app to its new id after a reset, and once the server is
 * closed every call says the control API did not answer instead of hanging or failing obscurely.
 */
class FaultsLifecycleTest {

    @Test
    void afterAReset_faultsActOnTheAppsNewId() {
        try (RunningHerald running =
                RunningHerald.start(HeraldExtension.builder().setup())) {
            HeraldFaults faults = new HeraldFaults(running, "test");
            InjectedFault before = faults.failTokenRequests(1, 50300);
            assertThat(before.appId()).isEqualTo("test");

            running.reset();

            assertThat(faults.appId()).isEqualTo("test-1");
            InjectedFault after = faults.fault("rest.fail")
                    .path("/time")
                    .error(50001, 502, "clock is down")
                    .inject();
            assertThat(after.appId()).isEqualTo("test-1");
            assertThat(after.json()).contains("\"statusCode\":502").contains("clock is down");
            assertThat(faults.list()).extracting(InjectedFault::id).containsExactly(after.id());
        }
    }

    @Test
    void aClosedServer_isAClearError() {
        RunningHerald running = RunningHerald.start(HeraldExtension.builder().setup());
        HeraldFaults faults = new HeraldFaults(running, "test");
        int port = running.port();
        running.close();

        assertThatThrownBy(faults::list)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("control API did not answer")
                .hasMessageContaining("cannot reach Herald at http://127.0.0.1:" + port);
        assertThatThrownBy(() -> faults.dropConnection("alice")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> faults.clear("f_x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> HeraldFaults.clearEverything(running)).isInstanceOf(IllegalStateException.class);
    }
}

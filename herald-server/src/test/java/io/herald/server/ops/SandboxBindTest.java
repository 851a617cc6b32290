package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@code herald serve --sandbox} refuses a non-loopback bind address unless {@code --sandbox-public} says so: the
 * sandbox lets anyone who reaches the port create apps, so it must not end up on a public interface by accident.
 */
class SandboxBindTest {

    @Test
    void serveSandbox_onAWildcardAddress_refusedWithExitCode2() {
        Cli r = assertTimeoutPreemptively(
                Duration.ofSeconds(20),
                () -> Cli.run("serve", "--sandbox", "--host", "0.0.0.0", "--port", "0"),
                "serve --sandbox on 0.0.0.0 must refuse to start, not run");
        assertThat(r.exitCode()).as("%s", r).isEqualTo(2);
    }
}

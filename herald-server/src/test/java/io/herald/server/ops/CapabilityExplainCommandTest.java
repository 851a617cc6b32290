package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** {@code herald capability explain}: allowed or denied, and which resource pattern decided. */
class CapabilityExplainCommandTest {
    private static final String CAPABILITY =
            "{\"chat:*\":[\"subscribe\"],\"chat:lobby\":[\"publish\",\"subscribe\"]," + "\"news\":[\"*\"]}";

    private static Cli explain(String capability, String channel, String op) {
        return Cli.run("capability", "explain", "--capability", capability, "--channel", channel, "--op", op);
    }

    @Test
    void explain_operationGrantedByWildcard_allowedExit0() {
        Cli r = explain(CAPABILITY, "chat:room1", "subscribe");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains(
                        "ALLOWED: subscribe on channel chat:room1",
                        "decided by resource chat:* -> [subscribe]",
                        "operations allowed on chat:room1: subscribe");
    }

    @Test
    void explain_operationGrantedByExactName_allowedNamingThatResource() {
        Cli r = explain(CAPABILITY, "chat:lobby", "publish");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("decided by resource chat:lobby -> [publish, subscribe]");
    }

    @Test
    void explain_matchingResourceWithoutTheOperation_deniedExit1() {
        Cli r = explain(CAPABILITY, "chat:room1", "publish");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .contains(
                        "DENIED: publish on channel chat:room1",
                        "resource chat:* matches the channel but grants only [subscribe]");
    }

    @Test
    void explain_noMatchingResource_deniedExit1() {
        Cli r = explain(CAPABILITY, "private:x", "subscribe");

        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.out())
                .contains(
                        "DENIED",
                        "no resource in the capability matches the channel",
                        "operations allowed on private:x: none");
    }

    @Test
    void explain_starOperations_allowed() {
        Cli r = explain(CAPABILITY, "news", "history");

        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("decided by resource news -> [*]");
    }

    @Test
    void explain_malformedCapability_usageErrorExit2() {
        Cli r = explain("{\"chat:*\":\"subscribe\"}", "chat:a", "subscribe");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--capability");
    }

    @Test
    void explain_unknownOperation_usageErrorExit2() {
        Cli r = explain(CAPABILITY, "chat:a", "fly");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("unknown operation 'fly'", "subscribe");
    }

    @Test
    void explain_missingChannel_usageErrorExit2() {
        Cli r = Cli.run("capability", "explain", "--capability", CAPABILITY, "--op", "publish");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--channel");
    }
}

package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.Message;
import org.junit.jupiter.api.Test;

/**
 * Per-class isolation: this class and its twin each publish to the same channel of an app of the same name; each
 * finds only its own message, whichever runs first.
 */
@Herald
class IsolationTwoTest {
    @Test
    void seesOnlyItsOwnMessages(HeraldInstance herald) throws Exception {
        AblyRest rest = new AblyRest(herald.ably().clientOptions());
        rest.channels.get("isolation").publish("from", "Two");

        Message[] items = rest.channels.get("isolation").history(null).items();
        assertThat(items).extracting(m -> m.data).containsExactly("Two");
    }
}

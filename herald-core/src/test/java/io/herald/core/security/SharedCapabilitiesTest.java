package io.herald.core.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.Capability;
import org.junit.jupiter.api.Test;

/** Equal token capabilities become one instance a connection keeps, and the store of them stays bounded. */
class SharedCapabilitiesTest {
    private final SharedCapabilities shared = new SharedCapabilities();
    private final Capability key = Capability.parse("{\"*\":[\"*\"]}");

    @Test
    void theKeysOwnCapability_isTheKeysInstance_andNotStored() {
        Capability fromToken = Capability.parse("{\"*\":[\"*\"]}");
        assertThat(fromToken).isNotSameAs(key);

        assertThat(shared.share(fromToken, key)).isSameAs(key);
        assertThat(shared.size()).isZero();
    }

    @Test
    void equalCapabilities_shareTheFirstInstance_differentOnesDoNot() {
        Capability first = Capability.parse("{\"chat:*\":[\"subscribe\",\"publish\"]}");
        Capability again = Capability.parse("{\"chat:*\":[\"publish\",\"subscribe\"]}");
        Capability other = Capability.parse("{\"chat:*\":[\"subscribe\"]}");

        assertThat(shared.share(first, key)).isSameAs(first);
        assertThat(shared.share(again, key)).isSameAs(first);
        assertThat(shared.share(other, key)).isSameAs(other);
        assertThat(shared.share(first, key).allows("chat:room", "publish")).isTrue();
        assertThat(shared.share(other, key).allows("chat:room", "publish")).isFalse();
        assertThat(shared.size()).isEqualTo(2);
    }

    @Test
    void pastTheBound_newCapabilitiesAreUsedAsTheyAre() {
        for (int i = 0; i < SharedCapabilities.MAX; i++) {
            shared.share(Capability.parse("{\"c" + i + "\":[\"subscribe\"]}"), key);
        }
        Capability late = Capability.parse("{\"late\":[\"subscribe\"]}");
        Capability lateAgain = Capability.parse("{\"late\":[\"subscribe\"]}");

        assertThat(shared.share(late, key)).isSameAs(late);
        assertThat(shared.share(lateAgain, key)).isSameAs(lateAgain);
        assertThat(shared.size()).isEqualTo(SharedCapabilities.MAX);
    }
}

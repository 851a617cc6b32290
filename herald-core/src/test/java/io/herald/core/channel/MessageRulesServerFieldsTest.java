package io.herald.core.channel;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.herald.protocol.Message;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A published message is a create: the client's action, serial and version are not passed through. */
class MessageRulesServerFieldsTest {
    @Test
    void complete_overridesClientActionSerialAndVersion() {
        Message m = new Message("n", "d");
        m.action = 2;
        m.serial = "forged-serial";
        m.version = JsonNodeFactory.instance.objectNode().put("serial", "forged-version");
        MessageRules.complete(List.of(m), new MessageRules.Publisher("conn", null, false), "p", 1L);
        assertThat(m.action).isZero();
        assertThat(m.serial).isNull();
        assertThat(m.version).isNull();
    }

    @Test
    void complete_withoutAction_isACreate() {
        Message m = new Message("n", "d");
        MessageRules.complete(List.of(m), new MessageRules.Publisher(null, null, false), "p", 1L);
        assertThat(m.action).isZero();
    }

    @Test
    void complete_userClaimIsTheServers() {
        Message forged = new Message("n", "d");
        forged.extras =
                JsonNodeFactory.instance.objectNode().put("userClaim", "admin").put("keep", 1);
        MessageRules.complete(List.of(forged), new MessageRules.Publisher("conn", "u", false), "p", 1L);
        assertThat(forged.extras.has("userClaim")).isFalse();
        assertThat(forged.extras.path("keep").asInt()).isEqualTo(1);

        Message plain = new Message("n", "d");
        Message overwritten = new Message("n", "d");
        overwritten.extras = JsonNodeFactory.instance.objectNode().put("userClaim", "admin");
        MessageRules.complete(
                List.of(plain, overwritten), new MessageRules.Publisher("conn", "u", false, "member"), "p", 1L);
        assertThat(plain.extras.path("userClaim").asText()).isEqualTo("member");
        assertThat(overwritten.extras.path("userClaim").asText()).isEqualTo("member");
    }
}

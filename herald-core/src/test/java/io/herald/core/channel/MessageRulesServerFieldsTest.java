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
}

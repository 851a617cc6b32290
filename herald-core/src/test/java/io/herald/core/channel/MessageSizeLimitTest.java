package io.herald.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.herald.core.internal.AblyException;
import io.herald.protocol.Message;
import io.herald.protocol.PresenceMessage;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** maxMessageSize counts every field a message carries, not only name, clientId, extras and data. */
class MessageSizeLimitTest {
    private static final int LIMIT = 1024;
    private static final String BIG = "z".repeat(2 * LIMIT);

    private static void refused(Consumer<Message> fill) {
        Message m = new Message("n", "small");
        fill.accept(m);
        assertThatThrownBy(() -> MessageRules.checkSize(List.of(m), LIMIT))
                .isInstanceOfSatisfying(AblyException.class, e -> {
                    assertThat(e.error().code()).isEqualTo(40009);
                    assertThat(e.error().message())
                            .contains("Maximum message length exceeded")
                            .contains("1024");
                });
    }

    private static ObjectNode big() {
        return JsonNodeFactory.instance.objectNode().put("k", BIG);
    }

    @Test
    void oversizedById_refusedWith40009() {
        refused(m -> m.id = BIG);
    }

    @Test
    void oversizedByEncoding_refusedWith40009() {
        refused(m -> m.encoding = BIG);
    }

    @Test
    void oversizedByVersion_refusedWith40009() {
        refused(m -> m.version = big());
    }

    @Test
    void oversizedByAnnotations_refusedWith40009() {
        refused(m -> m.annotations = big());
    }

    @Test
    void oversizedBySerial_refusedWith40009() {
        refused(m -> m.serial = BIG);
    }

    @Test
    void oversizedByExtras_refusedWith40009() {
        refused(m -> m.extras = JsonNodeFactory.instance.objectNode().set("headers", big()));
    }

    @Test
    void presenceOversizedById_refusedWith40009() {
        PresenceMessage p = new PresenceMessage();
        p.id = BIG;
        assertThatThrownBy(() -> MessageRules.checkPresenceSize(List.of(p), LIMIT))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40009));
    }

    @Test
    void withinTheLimit_accepted() {
        Message m = new Message("n", "x".repeat(LIMIT - 10));
        MessageRules.checkSize(List.of(m), LIMIT);
    }
}

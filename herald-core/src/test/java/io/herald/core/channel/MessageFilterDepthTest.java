package io.herald.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.core.internal.AblyException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Deeply nested filter expressions are refused with 40010 instead of overflowing the stack. */
class MessageFilterDepthTest {
    private static String parens(int depth) {
        return "(".repeat(depth) + "name == 'a'" + ")".repeat(depth);
    }

    @Test
    void nestingAtTheLimit_compiles() {
        assertThat(MessageFilter.compile(parens(MessageFilter.MAX_DEPTH))).isNotNull();
        assertThat(MessageFilter.compile("!".repeat(MessageFilter.MAX_DEPTH) + "name"))
                .isNotNull();
    }

    @Test
    void nestingBeyondTheLimit_refusedWith40010() {
        for (String expr : new String[] {parens(MessageFilter.MAX_DEPTH + 1), "!".repeat(200) + "name"}) {
            assertThatThrownBy(() -> MessageFilter.compile(expr)).isInstanceOfSatisfying(AblyException.class, e -> {
                assertThat(e.error().code()).isEqualTo(40010);
                assertThat(e.error().message()).contains("nested more than");
            });
        }
    }

    @Test
    void deepNestingOnASmallStack_isAnAblyErrorNotAStackOverflow() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread t = new Thread(
                null,
                () -> {
                    try {
                        MessageFilter.compile(parens(1_000));
                    } catch (Throwable e) {
                        thrown.set(e);
                    }
                },
                "small-stack",
                128 * 1024);
        t.start();
        t.join();
        assertThat(thrown.get()).isInstanceOf(AblyException.class);
    }
}

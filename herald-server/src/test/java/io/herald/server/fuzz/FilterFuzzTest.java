package io.herald.server.fuzz;

import io.herald.core.channel.MessageFilter;
import io.herald.core.internal.AblyException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * The subscription filter parser ({@code [filter=...]} channel qualifiers) on mutated valid expressions and random
 * strings: each compiles or fails with {@link AblyException} (40010), nothing else.
 */
class FilterFuzzTest {
    private static final AtomicLong INPUTS = new AtomicLong();

    @Property
    void filter_compilesOrInvalidChannelName(@ForAll("filters") String expression) {
        INPUTS.incrementAndGet();
        try {
            MessageFilter.compile(expression);
        } catch (AblyException expected) {
            // 40010
        }
    }

    @Provide
    Arbitrary<String> filters() {
        return Mutator.strings(List.of(
                "name == 'greeting'",
                "headers.kind == 'a' && (headers.n > `3` || !(name == 'x'))",
                "headers.flag == `true` || headers.v != `null`",
                "clientId == 'alice' && headers.n >= `-1.5e3` && headers.o == `{\"a\":[1,2]}`"));
    }

    @AfterContainer
    static void report() {
        System.out.println("FilterFuzzTest: " + INPUTS.get() + " expressions tried");
    }
}

package io.herald.bench.suite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateTest {
    private final Template t = Template.parse("""
            comment before the first section
            @@ a
            Hello {{who}}, \\
            and welcome.

            @@ b
            no break after this
            @@ c
            last {{n}} {{n}}
            """);

    @Test
    void render_emptyLinesAfterText_areLineBreaksOfTheSection() {
        assertThat(t.render("a", Map.of("who", "Ann"))).isEqualTo("Hello Ann, and welcome.\n");
        assertThat(t.render("b")).isEqualTo("no break after this");
    }

    @Test
    void render_lastSectionOfTheFile_endsWithoutTheFilesFinalBreak() {
        assertThat(t.render("c", Map.of("n", 7))).isEqualTo("last 7 7");
    }

    @Test
    void render_missingValue_failsNamingThePlaceholder() {
        assertThatThrownBy(() -> t.render("a"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("{{who}}");
    }

    @Test
    void render_unknownSection_fails() {
        assertThatThrownBy(() -> t.render("zzz"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("zzz");
    }

    @Test
    void render_valueWithDollarAndBackslash_isInsertedLiterally() {
        assertThat(t.render("a", Map.of("who", "$1 \\x"))).isEqualTo("Hello $1 \\x, and welcome.\n");
    }
}

package io.herald.core.channel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.core.internal.AblyException;
import io.herald.protocol.Message;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MessageFilterTest {
    private static Message msg(String name, String headersJson) throws Exception {
        Message m = new Message(name, "d");
        if (headersJson != null) {
            m.extras = new ObjectMapper().readTree("{\"headers\":" + headersJson + "}");
        }
        return m;
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = ';',
            quoteCharacter = '~',
            value = {
                "name == `\"filtered\"` && headers.number == `26095` ; filtered ; {\"number\":26095} ; true",
                "name == `\"filtered\"` && headers.number == `26095` ; filtered ; {\"number\":12345} ; false",
                "name == `\"filtered\"` && headers.number == `26095` ; filtered ;                    ; false",
                "headers.bool == `true` || name == 'x'               ; x        ; {\"bool\":false}   ; true",
                "!(headers.n > `3`)                                   ; a        ; {\"n\":2}          ; true",
                "headers.n >= `3` && headers.n < `5`                  ; a        ; {\"n\":5}          ; false",
                "headers.s != 'no'                                    ; a        ; {\"s\":\"yes\"}    ; true",
                "headers.missing                                      ; a        ; {}                 ; false",
            })
    void matches_expression_decidesPerMessage(String expr, String name, String headers, boolean expected)
            throws Exception {
        assertThat(MessageFilter.compile(expr.trim()).matches(msg(name, headers == null ? null : headers.trim())))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(strings = {"name ==", "(name == 'a'", "`unterminated", "name == 'x' garbage(", "1abc == 'x'", ""})
    void compile_malformedExpression_isInvalidChannelName(String expr) {
        assertThatThrownBy(() -> MessageFilter.compile(expr))
                .isInstanceOf(AblyException.class)
                .satisfies(e -> assertThat(((AblyException) e).error().code()).isEqualTo(40010));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "?rewind=1"})
    void channelName_derived_parsesFilterAndParams(String params) {
        String b64 = Base64.getEncoder().encodeToString("name == 'a'".getBytes(StandardCharsets.UTF_8));
        ChannelName n = ChannelName.parse("[filter=" + b64 + params + "]chan");
        assertThat(n.base()).isEqualTo("chan");
        assertThat(n.filter()).isNotNull();
        assertThat(n.params()).hasSize(params.isEmpty() ? 0 : 1);
    }
}

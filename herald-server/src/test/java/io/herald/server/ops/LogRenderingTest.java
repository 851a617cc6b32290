package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.herald.core.observe.Observer;
import io.herald.protocol.ErrorInfo;
import io.herald.server.logging.AuditLog;
import io.herald.server.logging.FieldsConverter;
import io.herald.server.logging.JsonLogEncoder;
import io.herald.server.logging.LogFormat;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The two renderings of a log event (text fields and JSON lines) and the audit log's bounds on client values. */
class LogRenderingTest {
    private final Logger logger = (Logger) LoggerFactory.getLogger("test");

    private ILoggingEvent event(String message, Object... kv) {
        LoggingEvent e = new LoggingEvent("fqcn", logger, Level.INFO, message, null, null);
        for (int i = 0; i < kv.length; i += 2) {
            e.addKeyValuePair(new org.slf4j.event.KeyValuePair((String) kv[i], kv[i + 1]));
        }
        return e;
    }

    @Test
    void fields_plainAndJsonValues_unquotedLogfmt() {
        String s = new FieldsConverter()
                .convert(event(
                        "m",
                        "keyName",
                        "app.k1",
                        "capability",
                        "{\"chat:*\":[\"subscribe\"]}",
                        "code",
                        40101,
                        "clientId",
                        null));

        assertThat(s).isEqualTo(" keyName=app.k1 capability={\"chat:*\":[\"subscribe\"]} code=40101 clientId=-");
    }

    @Test
    void fields_spacesQuotesAndNewlines_quotedAndEscapedOnOneLine() {
        String s = new FieldsConverter()
                .convert(event("m", "clientId", "bob smith\nWARN forged", "empty", "", "q", "\"quoted\""));

        assertThat(s)
                .isEqualTo(" clientId=\"bob smith\\nWARN forged\" empty=\"\" q=\"\\\"quoted\\\"\"")
                .doesNotContain("\n");
    }

    @Test
    void fields_backslashDelNonAsciiAndUnicodeSpaces_onlySpacesQuoteOnlyControlsEscape() {
        String s = new FieldsConverter()
                .convert(event(
                        "m",
                        "a",
                        "back\\slash",
                        "b",
                        "x\u007fy",
                        "c",
                        "caf\u00e9",
                        "d",
                        "a\u00a0b",
                        "e",
                        "p\u2028q",
                        "f",
                        "mid\"quote"));

        assertThat(s).isEqualTo(" a=back\\slash b=x\\u007fy c=caf\u00e9 d=\"a\u00a0b\" e=\"p\\u2028q\" f=mid\"quote");
    }

    @Test
    void fields_noPairs_emptyString() {
        assertThat(new FieldsConverter().convert(event("m"))).isEmpty();
    }

    @Test
    void jsonEncoder_event_oneObjectPerLineWithTypedFields() {
        byte[] bytes = new JsonLogEncoder()
                .encode(event("token refused", "code", 40105, "clientId", "a\"b\nc", "message", "clash", "ok", true));
        String line = new String(bytes, StandardCharsets.UTF_8);

        assertThat(line).endsWith("\n").hasLineCount(1);
        JsonNode j = OpsServer.json(line);
        assertThat(j.path("message").asText()).isEqualTo("token refused");
        assertThat(j.path("level").asText()).isEqualTo("INFO");
        assertThat(j.path("logger").asText()).isEqualTo("test");
        assertThat(j.path("code").isInt()).isTrue();
        assertThat(j.path("clientId").asText()).isEqualTo("a\"b\nc");
        assertThat(j.path("kv_message").asText()).isEqualTo("clash");
        assertThat(j.path("ok").asBoolean()).isTrue();
        assertThat(j.path("time").asText()).endsWith("Z");
    }

    @Test
    void jsonEncoder_exception_errorAndStackFields() {
        LoggingEvent e = new LoggingEvent("fqcn", logger, Level.ERROR, "boom", new IllegalStateException("bad"), null);

        JsonNode j = OpsServer.json(new String(new JsonLogEncoder().encode(e), StandardCharsets.UTF_8));

        assertThat(j.path("error").asText()).isEqualTo("java.lang.IllegalStateException: bad");
        assertThat(j.path("stack").asText()).contains("LogRenderingTest");
    }

    @Test
    void auditLog_hugeClientValues_clippedAndCapabilityCanonical() {
        Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
        ListAppender<ILoggingEvent> list = new ListAppender<>();
        list.start();
        audit.addAppender(list);
        try {
            String bigCapability = "{" + "\"c%d\":[\"subscribe\"],".repeat(1).formatted(0) + "\"z\":  [\"publish\"]"
                    + ",\"long:" + "y".repeat(600) + "\":[\"publish\"]}";
            new AuditLog()
                    .tokenRefused(
                            new Observer.TokenAudit("app.k1", "u".repeat(1000), bigCapability, "/10.0.0.1:1234"),
                            ErrorInfo.of(40160, 401, "Requested capability has nothing in common"));

            assertThat(list.list).hasSize(1);
            String text = new FieldsConverter().convert(list.list.get(0));
            assertThat(text)
                    .contains("clientId=\"" + "u".repeat(128) + "...(1000 chars)\"")
                    .contains("capability=\"{\\\"c0\\\":[\\\"subscribe\\\"],\\\"long:yyy")
                    .contains("...(656 chars)\"")
                    .contains("remote=10.0.0.1:1234 code=40160 status=401")
                    .doesNotContain("  [");
            assertThat(text.length()).isLessThan(700);
        } finally {
            audit.detachAppender(list);
        }
    }

    @Test
    void auditLog_invalidCapability_markedInvalid() {
        Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
        ListAppender<ILoggingEvent> list = new ListAppender<>();
        list.start();
        audit.addAppender(list);
        try {
            new AuditLog()
                    .tokenRefused(
                            new Observer.TokenAudit("app.k1", null, "not json", null),
                            ErrorInfo.of(40000, 400, "Invalid capability"));

            assertThat(new FieldsConverter().convert(list.list.get(0)))
                    .contains("clientId=- capability=\"invalid: not json\" remote=-");
        } finally {
            audit.detachAppender(list);
        }
    }

    @Test
    void logFormat_parse_acceptsTextAndJsonInAnyCase() {
        assertThat(LogFormat.parse("JSON")).isEqualTo(LogFormat.JSON);
        assertThat(LogFormat.parse(" text ")).isEqualTo(LogFormat.TEXT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LogFormat.parse("xml"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("text or json");
    }
}

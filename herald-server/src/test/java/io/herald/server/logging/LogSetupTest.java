package io.herald.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.LoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.Encoder;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.KeyValuePair;

/** Herald's logging set-up in code: the appender, levels and the two renderings it gives a fresh logback context. */
class LogSetupTest {
    private final LoggerContext ctx = new LoggerContext();

    {
        ctx.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    }

    @AfterEach
    void clear() {
        System.clearProperty("HERALD_LOG_LEVEL");
        System.clearProperty("HERALD_AUDIT_LOG_LEVEL");
        ctx.stop();
    }

    private String render(ConsoleAppender<ILoggingEvent> appender) {
        LoggingEvent e =
                new LoggingEvent("fqcn", ctx.getLogger("io.herald.x.Thing"), Level.WARN, "token refused", null, null);
        e.addKeyValuePair(new KeyValuePair("clientId", "bob smith"));
        Encoder<ILoggingEvent> encoder = appender.getEncoder();
        return new String(encoder.encode(e), StandardCharsets.UTF_8);
    }

    @Test
    void apply_text_onStderrAtInfoNettyAtWarnWithTheFields() {
        LogSetup.apply(ctx, LogFormat.TEXT);

        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.INFO);
        assertThat(ctx.getLogger("io.netty").getLevel()).isEqualTo(Level.WARN);
        assertThat(ctx.getLogger("herald.audit").getLevel()).isEqualTo(Level.INFO);
        var appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("text");
        assertThat(appender).isNotNull();
        assertThat(appender.getTarget()).isEqualTo("System.err");
        assertThat(render(appender))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  io\\.herald\\.x\\.Thing - token refused "
                        + "clientId=\"bob smith\"\\R");
    }

    @Test
    void hasOwnConfiguration_onlyWhenTheClassPathOrAPropertyBringsOne(@TempDir Path dir) throws Exception {
        try (URLClassLoader bare = new URLClassLoader(new URL[] {dir.toUri().toURL()}, null)) {
            assertThat(LogSetup.hasOwnConfiguration(bare)).isFalse();
            Files.writeString(dir.resolve("logback.xml"), "<configuration/>");
            assertThat(LogSetup.hasOwnConfiguration(bare)).isTrue();
        }
        try (URLClassLoader empty = new URLClassLoader(new URL[0], null)) {
            System.setProperty("logback.configurationFile", "/etc/app/logback.xml");
            try {
                assertThat(LogSetup.hasOwnConfiguration(empty)).isTrue();
            } finally {
                System.clearProperty("logback.configurationFile");
            }
        }
    }

    @Test
    void apply_json_oneObjectPerLineWithTheFields() {
        LogSetup.apply(ctx, LogFormat.JSON);

        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("text")).isNull();
        var appender = (ConsoleAppender<ILoggingEvent>) root.getAppender("json");
        assertThat(render(appender))
                .startsWith("{\"time\":")
                .contains("\"level\":\"WARN\"", "\"message\":\"token refused\"", "\"clientId\":\"bob smith\"")
                .endsWith("}\n");
    }

    @Test
    void apply_levelsFromSystemProperties_unknownLevelFallsBackToInfo() {
        System.setProperty("HERALD_LOG_LEVEL", "debug");
        System.setProperty("HERALD_AUDIT_LOG_LEVEL", "OFF");
        LogSetup.apply(ctx, LogFormat.TEXT);
        assertThat(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.DEBUG);
        assertThat(ctx.getLogger("herald.audit").getLevel()).isEqualTo(Level.OFF);

        System.setProperty("HERALD_LOG_LEVEL", "loud");
        LogSetup.apply(ctx, LogFormat.TEXT);
        assertThat(ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME).getLevel()).isEqualTo(Level.INFO);
    }

    @Test
    void apply_auditLinesQueuedForTheirOwnThreadNeverDroppedAndNotTwice() {
        LogSetup.apply(ctx, LogFormat.TEXT);

        var audit = ctx.getLogger("herald.audit");
        assertThat(audit.isAdditive()).isFalse();
        var batching = (BatchingAppender) audit.getAppender(LogSetup.AUDIT_APPENDER);
        assertThat(batching.isStarted()).isTrue();
        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender(LogSetup.AUDIT_APPENDER)).isNull();
        assertThat(root.getAppender("text")).isNotNull();
    }

    @Test
    void apply_twice_oneAppenderOnly() {
        LogSetup.apply(ctx, LogFormat.TEXT);
        LogSetup.apply(ctx, LogFormat.JSON);

        var root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertThat(root.getAppender("text")).isNull();
        assertThat(root.getAppender("json")).isNotNull();
    }
}

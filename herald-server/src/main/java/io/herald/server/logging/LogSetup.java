package io.herald.server.logging;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.pattern.DynamicConverter;
import ch.qos.logback.core.spi.ContextAwareBase;
import ch.qos.logback.core.status.NopStatusListener;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Herald's logging set-up, in code rather than a {@code logback.xml} (reading and interpreting XML was a tenth of a
 * second of every start). Logback finds it as a {@link Configurator} service and runs it before looking for
 * configuration files, unless the process has one of its own: a {@code logback.configurationFile} system property,
 * or a {@code logback-test.xml} or {@code logback.xml} on the class path (an application embedding Herald, for
 * example through herald-junit, keeps its logging). Then this steps aside and logback goes on as usual.
 *
 * <p>What it sets up: one console appender on standard error in the format {@link LogFormat} names ({@code text}:
 * {@code HH:mm:ss.SSS LEVEL logger - message key=value...}; {@code json}: one object per line, {@link
 * JsonLogEncoder}); the root level from {@code HERALD_LOG_LEVEL} (default {@code INFO}); the {@code herald.audit}
 * logger's from {@code HERALD_AUDIT_LOG_LEVEL} ({@code INFO}: issued and refused, {@code WARN}: refused only,
 * {@code OFF}), in the same format on the same stream, written by a thread of its own in batches ({@link
 * BatchingAppender}); {@code io.netty} at {@code WARN}. Each setting is read from the system property of that name, else
 * the environment variable.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogSetup extends ContextAwareBase implements Configurator {
    /** The name of the appender that queues the audit log's lines for its own thread. */
    static final String AUDIT_APPENDER = "audit";

    /** How long the audit writer lets lines gather after a write: the most an audit line waits for its batch. */
    static final long AUDIT_LINGER_MILLIS = 2;

    static final String TEXT_PATTERN = "%d{HH:mm:ss.SSS} %-5level %logger{20} - %msg%fields%n";

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        if (hasOwnConfiguration()) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        apply(ctx, LogFormat.current());
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether the process brings its own logback configuration, which then wins. */
    static boolean hasOwnConfiguration() {
        return hasOwnConfiguration(LogSetup.class.getClassLoader());
    }

    /** As {@link #hasOwnConfiguration()}, looking for the files with {@code cl}. */
    static boolean hasOwnConfiguration(@Nullable ClassLoader cl) {
        if (System.getProperty("logback.configurationFile") != null) {
            return true;
        }
        return cl != null && (cl.getResource("logback-test.xml") != null || cl.getResource("logback.xml") != null);
    }

    /** Replaces the configuration of {@code ctx} with Herald's, in {@code format}. */
    static void apply(LoggerContext ctx, LogFormat format) {
        ctx.reset();
        ctx.getStatusManager().add(new NopStatusListener());
        ConsoleAppender<ILoggingEvent> appender = new ConsoleAppender<>();
        appender.setContext(ctx);
        appender.setName(format.id());
        appender.setTarget("System.err");
        appender.setEncoder(encoder(ctx, format));
        appender.start();
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level("HERALD_LOG_LEVEL"));
        root.addAppender(appender);
        ctx.getLogger("io.netty").setLevel(Level.WARN);
        // The audit log (a line per token issued) is written by a thread of its own, in batches (BatchingAppender):
        // an event loop only queues the event instead of formatting it and writing stderr under the appender's lock,
        // where loops issuing tokens queued. Nothing is dropped (a full queue makes the caller wait, as the direct
        // write did), and serve's shutdown drains the queue (LogFormat.drain).
        BatchingAppender audit = new BatchingAppender(
                appender.getEncoder(), () -> System.err, AUDIT_LINGER_MILLIS, TimeUnit.MILLISECONDS);
        audit.setContext(ctx);
        audit.setName(AUDIT_APPENDER);
        audit.start();
        Logger auditLogger = ctx.getLogger("herald.audit");
        auditLogger.setLevel(level("HERALD_AUDIT_LOG_LEVEL"));
        auditLogger.setAdditive(false);
        auditLogger.addAppender(audit);
    }

    private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, LogFormat format) {
        if (format == LogFormat.JSON) {
            JsonLogEncoder json = new JsonLogEncoder();
            json.setContext(ctx);
            json.start();
            return json;
        }
        rules(ctx).put("fields", FieldsConverter::new);
        PatternLayoutEncoder text = new PatternLayoutEncoder();
        text.setContext(ctx);
        text.setPattern(TEXT_PATTERN);
        text.start();
        return text;
    }

    @SuppressWarnings("unchecked") // logback keeps the conversion rules in its context under this name, this type
    private static Map<String, Supplier<DynamicConverter<?>>> rules(LoggerContext ctx) {
        Object existing = ctx.getObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS);
        if (existing instanceof Map<?, ?> m) {
            return (Map<String, Supplier<DynamicConverter<?>>>) m;
        }
        Map<String, Supplier<DynamicConverter<?>>> fresh = new HashMap<>();
        ctx.putObject(CoreConstants.PATTERN_RULE_REGISTRY_FOR_SUPPLIERS, fresh);
        return fresh;
    }

    private static Level level(String name) {
        return Level.toLevel(setting(name), Level.INFO);
    }

    static @Nullable String setting(String name) {
        String v = System.getProperty(name);
        return v != null ? v : System.getenv(name);
    }
}

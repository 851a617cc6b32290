package io.herald.server.logging;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.joran.spi.JoranException;
import ch.qos.logback.core.joran.util.ConfigurationWatchListUtil;
import java.net.URL;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log output format of the process: {@code text} (human-readable, the default) or {@code json} (one object per
 * line). {@code logback.xml} attaches the appender named by {@value #PROPERTY} (a system property, else the
 * environment variable of that name, else {@code text}); {@link #apply()} sets the property and, when logback was
 * already configured with the other format, reloads the configuration, so the choice holds whenever it is made.
 */
public enum LogFormat {
    TEXT,
    JSON;

    /** The system property (or environment variable) {@code logback.xml} reads. */
    public static final String PROPERTY = "HERALD_LOG_FORMAT";

    /** The appender name in {@code logback.xml}, also the option value. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * {@code text} or {@code json}, any case.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static LogFormat parse(String s) {
        for (LogFormat f : values()) {
            if (f.id().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("log format must be text or json, got '" + s + "'");
    }

    /** Makes this the format of every logger of the process. */
    public void apply() {
        System.setProperty(PROPERTY, id());
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext ctx)) {
            return;
        }
        if (ctx.getLogger(Logger.ROOT_LOGGER_NAME).getAppender(id()) != null) {
            return;
        }
        URL config = ConfigurationWatchListUtil.getMainWatchURL(ctx);
        if (config == null) {
            return;
        }
        ctx.reset();
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(ctx);
        try {
            configurator.doConfigure(config);
        } catch (JoranException e) {
            System.err.println("herald: could not reload the logging configuration " + config + ": " + e);
        }
    }

    /**
     * Writes out what the logging still holds and stops it: the audit lines queued for the audit appender's thread
     * (logback.xml). For the very end of the process; nothing logged after it is written.
     */
    public static void drain() {
        if (LoggerFactory.getILoggerFactory() instanceof LoggerContext ctx) {
            ctx.stop();
        }
    }
}

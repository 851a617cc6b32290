package io.herald.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/** Uses of the fault control API in the audit log: one WARN line each, with the fault's fields, clipped. */
class AuditLogFaultTest {

    @Test
    void injection_isOneWarnLineWithTheFaultsFieldsClipped() {
        Logger logger = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("faultId", "f_abc");
            fields.put("kind", "connection.drop");
            fields.put("clientId", "c".repeat(10_000));
            fields.put("ttlMs", 60_000L);
            new AuditLog().fault("inject", fields, "/10.0.0.1:4000");

            assertThat(appender.list).hasSize(1);
            ILoggingEvent e = appender.list.get(0);
            assertThat(e.getLevel()).isEqualTo(Level.WARN);
            Map<String, Object> kv = new LinkedHashMap<>();
            for (KeyValuePair p : e.getKeyValuePairs()) {
                kv.put(p.key, p.value);
            }
            assertThat(kv)
                    .containsEntry("outcome", "fault.inject")
                    .containsEntry("faultId", "f_abc")
                    .containsEntry("kind", "connection.drop")
                    .containsEntry("ttlMs", 60_000L)
                    .containsEntry("remote", "10.0.0.1:4000");
            assertThat((String) kv.get("clientId")).hasSizeLessThan(AuditLog.MAX_CLIENT_ID + 40);
        } finally {
            logger.detachAppender(appender);
        }
    }
}

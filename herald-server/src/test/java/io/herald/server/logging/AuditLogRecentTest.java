package io.herald.server.logging;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.core.observe.Observer.TokenAudit;
import io.herald.protocol.ErrorCode;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The refusals the audit log keeps in memory for the admin page: the newest, a bounded number, clipped. */
class AuditLogRecentTest {

    @Test
    void keepsTheLastRefusals_newestFirst_bounded() {
        AuditLog log = new AuditLog();
        for (int i = 0; i < AuditLog.RECENT + 25; i++) {
            log.tokenRefused(
                    new TokenAudit("app.k" + i, "client-" + i, null, "/10.0.0.1:4000"),
                    ErrorCode.INVALID_CREDENTIALS.info("bad mac"));
        }
        log.tokenIssued(new TokenAudit("app.ok", null, null, "/10.0.0.1:4000"));

        List<AuditLog.Refusal> recent = log.recentRefusals();
        assertThat(recent).hasSize(AuditLog.RECENT);
        assertThat(recent.get(0).keyName()).isEqualTo("app.k" + (AuditLog.RECENT + 24));
        assertThat(recent.get(AuditLog.RECENT - 1).keyName()).isEqualTo("app.k25");
        assertThat(recent.get(0).remote()).isEqualTo("10.0.0.1:4000");
        assertThat(recent.get(0).code()).isEqualTo(40101);
        assertThat(recent.get(0).status()).isEqualTo(401);
    }

    @Test
    void clientChosenValues_clipped() {
        AuditLog log = new AuditLog();
        log.tokenRefused(
                new TokenAudit("app.k", "c".repeat(10_000), "{\"x\":[\"subscribe\"]}", "/10.0.0.1:4000"),
                ErrorCode.INVALID_CREDENTIALS.info("r".repeat(10_000)));

        AuditLog.Refusal r = log.recentRefusals().get(0);
        assertThat(r.clientId()).hasSizeLessThan(AuditLog.MAX_CLIENT_ID + 40);
        assertThat(r.reason()).hasSizeLessThan(AuditLog.MAX_REASON + 40);
        assertThat(r.capability()).isEqualTo("{\"x\":[\"subscribe\"]}");
    }
}

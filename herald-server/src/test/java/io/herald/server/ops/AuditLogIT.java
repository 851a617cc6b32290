package io.herald.server.ops;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;
import io.herald.server.logging.AuditLog;
import io.herald.server.logging.FieldsConverter;
import io.herald.server.logging.JsonLogEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * The audit log of a real server: one {@code herald.audit} line per token issued or refused, with keyName, clientId,
 * capability summary, outcome code and remote address, and never a secret, a token or a mac (in the text or the
 * JSON rendering).
 */
class AuditLogIT {
    private static final String KEY_CAPABILITY = "{\"chat:*\":[\"publish\",\"subscribe\"]}";
    private final ListAppender<ILoggingEvent> captured = new ListAppender<>();
    private final Logger audit = (Logger) LoggerFactory.getLogger(AuditLog.LOGGER);
    private final List<String> secrets = new ArrayList<>();
    private OpsServer server;
    private Level level;

    @BeforeEach
    void capture(@TempDir Path dir) {
        level = audit.getLevel();
        captured.start();
        audit.addAppender(captured);
        audit.setLevel(Level.INFO);
        server = OpsServer.startWithKey(dir, KEY_CAPABILITY, false);
        secrets.add(server.key.secret());
    }

    @AfterEach
    void release() {
        server.close();
        audit.detachAppender(captured);
        audit.setLevel(level);
    }

    @Test
    void requestToken_issued_oneInfoLineWithFieldsAndNoSecrets() {
        TokenParams p = new TokenParams();
        p.clientId = "alice";
        p.capability = "{\"chat:lobby\":[\"subscribe\"]}";
        String request = server.tokenRequest(p);
        secrets.add(OpsServer.json(request).path("mac").asText());

        var response = server.requestToken(request);
        assertThat(response.statusCode()).isEqualTo(200);
        secrets.add(OpsServer.json(response.body()).path("token").asText());

        ILoggingEvent e = single();
        assertThat(e.getLevel()).isEqualTo(Level.INFO);
        assertThat(e.getFormattedMessage()).isEqualTo("token issued");
        Map<String, Object> f = fields(e);
        assertThat(f)
                .containsEntry("outcome", "issued")
                .containsEntry("keyName", "test.k1")
                .containsEntry("clientId", "alice")
                .containsEntry("capability", "{\"chat:lobby\":[\"subscribe\"]}");
        assertThat((String) f.get("remote")).startsWith("127.0.0.1:");
        assertNoSecrets();
    }

    @Test
    void requestToken_refusedForEachReason_oneWarnLineWithTheAblyCode() {
        TokenParams alice = new TokenParams();
        alice.clientId = "alice";
        String good = server.tokenRequest(alice);
        String badMac = good.replaceFirst(
                "\"mac\":\"[^\"]+\"",
                "\"mac\":\""
                        + TokenRequests.mac(OpsServer.secret(), "test.k1", null, null, "alice", "1", "1234567890123456")
                        + "\"");
        String old = TokenRequests.create(server.key, alice, Clock.offset(Clock.systemUTC(), Duration.ofMinutes(-10)))
                .toJson();
        TokenParams foreign = new TokenParams();
        foreign.capability = "{\"news:*\":[\"subscribe\"]}";
        TokenParams tooLong = new TokenParams();
        tooLong.ttl = Duration.ofHours(25).toMillis();
        List<String> requests =
                List.of(badMac, old, good, good, server.tokenRequest(foreign), server.tokenRequest(tooLong));
        for (String r : requests) {
            secrets.add(OpsServer.json(r).path("mac").asText());
        }

        List<Integer> statuses = new ArrayList<>();
        for (String r : requests) {
            var response = server.requestToken(r);
            statuses.add(response.statusCode());
            if (response.statusCode() == 200) {
                secrets.add(OpsServer.json(response.body()).path("token").asText());
            }
        }

        assertThat(statuses).containsExactly(401, 401, 200, 401, 401, 400);
        List<ILoggingEvent> events = captured.list;
        assertThat(events).hasSize(6);
        assertThat(events)
                .extracting(e -> fields(e).get("code"))
                .containsExactly(40101, 40104, null, 40105, 40160, 40003);
        ILoggingEvent replay = events.get(3);
        assertThat(replay.getLevel()).isEqualTo(Level.WARN);
        assertThat(fields(replay))
                .containsEntry("outcome", "refused")
                .containsEntry("keyName", "test.k1")
                .containsEntry("clientId", "alice")
                .containsEntry("status", 401);
        assertThat((String) fields(replay).get("reason")).contains("Nonce value replayed");
        assertThat(fields(events.get(4))).containsEntry("capability", "{\"news:*\":[\"subscribe\"]}");
        assertNoSecrets();
    }

    @Test
    void requestToken_unknownKeyAndHugeClientId_refusedLineWithBoundedValues() {
        TokenParams p = new TokenParams();
        p.clientId = "x".repeat(5000);
        String body = server.tokenRequest(p);
        secrets.add(OpsServer.json(body).path("mac").asText());

        assertThat(server.postJson("/keys/test.nokey/requestToken", body).statusCode())
                .isEqualTo(401);

        Map<String, Object> f = fields(single());
        assertThat(f).containsEntry("keyName", "test.nokey").containsEntry("code", 40101);
        assertThat((String) f.get("clientId")).hasSizeLessThan(200).endsWith("(5000 chars)");
        assertNoSecrets();
    }

    private ILoggingEvent single() {
        assertThat(captured.list).hasSize(1);
        return captured.list.get(0);
    }

    private static Map<String, Object> fields(ILoggingEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (KeyValuePair kv : e.getKeyValuePairs()) {
            m.put(kv.key, kv.value);
        }
        return m;
    }

    /** Neither rendering of any line holds the key secret, a mac or a token. */
    private void assertNoSecrets() {
        FieldsConverter text = new FieldsConverter();
        JsonLogEncoder json = new JsonLogEncoder();
        for (ILoggingEvent e : captured.list) {
            String line = e.getFormattedMessage() + text.convert(e);
            String jsonLine = new String(json.encode(e), StandardCharsets.UTF_8);
            for (String s : secrets) {
                assertThat(line).doesNotContain(s);
                assertThat(jsonLine).doesNotContain(s);
            }
        }
    }
}

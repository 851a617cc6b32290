package io.herald.server.logging;

import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.core.observe.Observer;
import io.herald.protocol.ErrorInfo;
import java.util.ArrayDeque;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The audit log: one line on logger {@value #LOGGER} for every token issued (INFO) or refused (WARN), with the
 * fields {@code outcome}, {@code keyName}, {@code clientId}, {@code capability} (a summary: canonical, cut to
 * {@value #MAX_CAPABILITY} characters), {@code remote} and, for a refusal, the Ably {@code code}, HTTP
 * {@code status} and {@code reason}. It never holds a secret, a token or a mac: {@link TokenAudit} carries none, and
 * the values a client chose (clientId, capability) are cut to a bounded length. The last {@value #RECENT} refusals
 * are also kept in memory, with the same fields, for the admin page ({@link #recentRefusals}).
 */
public final class AuditLog implements Observer {
    public static final String LOGGER = "herald.audit";
    static final int MAX_CAPABILITY = 256;
    static final int MAX_CLIENT_ID = 128;
    static final int MAX_REASON = 300;
    /** How many refusals {@link #recentRefusals} keeps. */
    public static final int RECENT = 50;

    /**
     * One refused token request, as the audit log shows it.
     *
     * @param time when, milliseconds since the epoch
     */
    public record Refusal(
            long time,
            @Nullable String keyName,
            @Nullable String clientId,
            @Nullable String capability,
            @Nullable String remote,
            int code,
            int status,
            @Nullable String reason) {}

    private final Logger log;
    private final ArrayDeque<Refusal> recent = new ArrayDeque<>();

    public AuditLog() {
        this(LoggerFactory.getLogger(LOGGER));
    }

    AuditLog(Logger log) {
        this.log = log;
    }

    @Override
    public void tokenIssued(TokenAudit audit) {
        try {
            if (log.isInfoEnabled()) {
                fields(log.atInfo().setMessage("token issued"), "issued", audit, false)
                        .log();
            }
        } catch (RuntimeException e) {
            // an audit line must never break a token request
        }
    }

    @Override
    public void tokenRefused(TokenAudit audit, ErrorInfo error) {
        try {
            remember(new Refusal(
                    System.currentTimeMillis(),
                    clip(audit.keyName(), MAX_CLIENT_ID),
                    clip(audit.clientId(), MAX_CLIENT_ID),
                    capabilitySummary(audit.capability(), true),
                    remote(audit.remoteAddress()),
                    error == null ? 0 : error.code(),
                    error == null ? 0 : error.statusCode(),
                    error == null ? null : clip(error.message(), MAX_REASON)));
            if (log.isWarnEnabled()) {
                fields(log.atWarn().setMessage("token refused"), "refused", audit, true)
                        .addKeyValue("code", error == null ? null : error.code())
                        .addKeyValue("status", error == null ? null : error.statusCode())
                        .addKeyValue("reason", error == null ? null : clip(error.message(), MAX_REASON))
                        .log();
            }
        } catch (RuntimeException e) {
            // as above
        }
    }

    /**
     * One use of the fault control API (docs/faults.md): {@code action} ({@code inject}, {@code clear},
     * {@code clearAll}), the fault's id and kind, its app and targets as the request gave them (cut to a bounded length),
     * and the caller's address. Logged at WARN: a fault is something going wrong on purpose.
     */
    public void fault(String action, java.util.Map<String, ?> fields, @Nullable String remoteAddress) {
        try {
            if (log.isWarnEnabled()) {
                LoggingEventBuilder b =
                        log.atWarn().setMessage("fault " + action).addKeyValue("outcome", "fault." + action);
                for (java.util.Map.Entry<String, ?> e : fields.entrySet()) {
                    Object v = e.getValue();
                    b = b.addKeyValue(e.getKey(), v instanceof String s ? clip(s, MAX_CLIENT_ID) : v);
                }
                b.addKeyValue("remote", remote(remoteAddress)).log();
            }
        } catch (RuntimeException e) {
            // an audit line must never break a control request
        }
    }

    private void remember(Refusal r) {
        synchronized (recent) {
            if (recent.size() == RECENT) {
                recent.removeLast();
            }
            recent.addFirst(r);
        }
    }

    /** The last {@value #RECENT} token requests refused, newest first. */
    public List<Refusal> recentRefusals() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    private static LoggingEventBuilder fields(LoggingEventBuilder b, String outcome, TokenAudit a, boolean untrusted) {
        return b.addKeyValue("outcome", outcome)
                .addKeyValue("keyName", clip(a.keyName(), MAX_CLIENT_ID))
                .addKeyValue("clientId", clip(a.clientId(), MAX_CLIENT_ID))
                .addKeyValue("capability", capabilitySummary(a.capability(), untrusted))
                .addKeyValue("remote", remote(a.remoteAddress()));
    }

    /**
     * A capability as the audit log shows it: canonical form (when it parses; {@code untrusted} input is parsed,
     * an issued token's capability already is canonical), cut to {@value #MAX_CAPABILITY} characters with the full
     * length noted. {@code null} stays {@code null} (no capability asked for: the key's applies).
     */
    static @Nullable String capabilitySummary(@Nullable String capability, boolean untrusted) {
        if (capability == null) {
            return null;
        }
        String c = capability;
        if (untrusted && c.length() <= 64 * 1024) {
            try {
                c = Capability.parse(c).canonical();
            } catch (AuthException e) {
                c = "invalid: " + c;
            }
        }
        return clip(c, MAX_CAPABILITY);
    }

    /** {@code s} cut to {@code max} characters, with the full length noted when cut. */
    static @Nullable String clip(@Nullable String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        return s.substring(0, max) + "...(" + s.length() + " chars)";
    }

    private static @Nullable String remote(@Nullable String address) {
        if (address == null) {
            return null;
        }
        return address.startsWith("/") ? address.substring(1) : address;
    }
}

package io.herald.core.fault;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * What a fault does. A one-shot fault acts once, when it is injected, on the connections or channels it names (it stays
 * listed until its ttl so the test can see what it hit); the others act on what they match until they are used up
 * ({@code count}), cleared or expired.
 */
public enum FaultKind {
    /** Close the connection's transport without a frame: the SDK sees the socket drop and resumes. */
    CONNECTION_DROP("connection.drop", Scope.CONNECTION, true),
    /** DISCONNECTED with the fault's error, then close: the SDK reconnects and resumes. */
    CONNECTION_DISCONNECT("connection.disconnect", Scope.CONNECTION, true),
    /** A connection-level ERROR: the SDK goes FAILED; the connection's state is dropped. */
    CONNECTION_FAIL("connection.fail", Scope.CONNECTION, true),
    /** The next {@code count} resumes of the connection are refused: a new connection id and the error (80008). */
    CONNECTION_FAIL_RESUME("connection.failResume", Scope.CONNECTION, false),
    /** Every frame sent to the connection waits {@code delayMs} (in order) while the fault is active. */
    CONNECTION_LATENCY("connection.latency", Scope.CONNECTION, false),
    /** The clientId's token connections are disconnected with 40142 now, so the SDK renews its token. */
    TOKEN_EXPIRE("token.expire", Scope.CONNECTION, true),
    /** The clientId's tokens issued until now are revoked (keys with revocable tokens): 40141, refused from now on. */
    TOKEN_REVOKE("token.revoke", Scope.CONNECTION, true),
    /** The next {@code count} token requests of the app answer the fault's error. */
    TOKEN_REQUEST_FAIL("token.requestFail", Scope.REST, false),
    /** DETACHED with the fault's error on the channel: the SDK re-attaches at once. */
    CHANNEL_DETACH("channel.detach", Scope.CHANNEL, true),
    /** A channel ERROR: the SDK's channel goes FAILED until the app attaches again. */
    CHANNEL_FAIL("channel.fail", Scope.CHANNEL, true),
    /** DETACHED now and every ATTACH answered with DETACHED while active: the SDK's channel goes SUSPENDED. */
    CHANNEL_SUSPEND("channel.suspend", Scope.CHANNEL, false),
    /** ATTACHED without RESUMED on an attached channel: the SDK emits an UPDATE with {@code resumed: false}. */
    CHANNEL_UPDATE("channel.update", Scope.CHANNEL, true),
    /** The channel's events wait {@code delayMs} (in order) while active. */
    DELIVERY_DELAY("delivery.delay", Scope.DELIVERY, false),
    /** The channel's events are not delivered while active; each loss is signalled by ATTACHED without RESUMED. */
    DELIVERY_DROP("delivery.drop", Scope.DELIVERY, false),
    /** The channel's events are delivered twice while active. */
    DELIVERY_DUPLICATE("delivery.duplicate", Scope.DELIVERY, false),
    /** The next {@code count} REST requests matching {@code method} and {@code path} answer the fault's error. */
    REST_FAIL("rest.fail", Scope.REST, false);

    /** What a fault applies to. */
    public enum Scope {
        CONNECTION,
        CHANNEL,
        DELIVERY,
        REST
    }

    private final String wireName;
    private final Scope scope;
    private final boolean oneShot;

    FaultKind(String wireName, Scope scope, boolean oneShot) {
        this.wireName = wireName;
        this.scope = scope;
        this.oneShot = oneShot;
    }

    /** The name in the control API ({@code connection.drop}). */
    public String wireName() {
        return wireName;
    }

    public Scope scope() {
        return scope;
    }

    /** Acts once when injected rather than on what it matches later. */
    public boolean oneShot() {
        return oneShot;
    }

    /** The kind with this wire name (case-insensitive), or {@code null}. */
    public static @Nullable FaultKind of(String wireName) {
        for (FaultKind k : values()) {
            if (k.wireName.equalsIgnoreCase(wireName.trim())) {
                return k;
            }
        }
        return null;
    }

    /** The wire names, for error messages. */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (FaultKind k : values()) {
            sb.append(sb.length() == 0 ? "" : ", ").append(k.wireName);
        }
        return sb.toString().toLowerCase(Locale.ROOT);
    }
}

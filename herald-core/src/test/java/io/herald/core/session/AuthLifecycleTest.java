package io.herald.core.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.Operations;
import io.herald.auth.TokenClaims;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.KeyConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.Revocation;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.internal.AblyException;
import io.herald.core.observe.Observer;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.core.security.KeyRegistry;
import io.herald.core.testing.ManualLoop;
import io.herald.core.testing.MutableClock;
import io.herald.protocol.Action;
import io.herald.protocol.AuthDetails;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.ProtocolMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The credentials' life on a manual loop with a real {@link Authenticator}: AUTH 30 s before a token expires, 40142
 * when it does, in-band AUTH, revocations and key changes. The owner records what the session is asked to do.
 */
class AuthLifecycleTest {
    private final MutableClock clock = new MutableClock(1_800_000_000_000L);
    private final ManualLoop loop = new ManualLoop(clock);
    private final ApiKey key = ApiKey.generate("app");
    private final ApiKey otherApp = ApiKey.generate("other");
    private final List<AppConfig> apps = List.of(
            new AppConfig("app", List.of(new KeyConfig(key, Capability.ALL, true))),
            new AppConfig("other", List.of(KeyConfig.fullAccess(otherApp))));
    private final KeyRegistry keys = new KeyRegistry(apps, Limits.DEFAULTS);
    private final MemoryEngine engine = new MemoryEngine(new EngineContext(
            new CoreConfig("n1", Limits.DEFAULTS, Timings.DEFAULTS, false, apps), clock, "n1", Map.of()));
    private final Authenticator authenticator = new Authenticator(keys, engine.revocations(), Timings.DEFAULTS, clock);
    private final RecordingOwner owner = new RecordingOwner();
    private int reauthenticated;
    private final Observer observer = new Observer() {
        @Override
        public void reauthenticated() {
            reauthenticated++;
        }
    };

    /** What the session was asked to do, with the virtual time it was asked. */
    private final class RecordingOwner implements AuthLifecycle.Owner {
        boolean connected = true;
        boolean closed;

        @Nullable
        String clientId = "alice";

        final List<String> events = new ArrayList<>();
        final List<ErrorInfo> errors = new ArrayList<>();

        private void record(String what) {
            events.add(what + "@" + (clock.millis() - 1_800_000_000_000L));
        }

        @Override
        public boolean isConnected() {
            return connected;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        @Override
        public @Nullable String clientId() {
            return clientId;
        }

        @Override
        public void send(ProtocolMessage pm) {
            record(Action.name(pm.action));
        }

        @Override
        public void disconnect(ErrorInfo error) {
            record("disconnect " + error.code());
            errors.add(error);
            connected = false;
        }

        @Override
        public void fail(ErrorInfo error) {
            record("fail " + error.code());
            errors.add(error);
            closed = true;
            connected = false;
        }

        @Override
        public void renewed() {
            record("renewed");
        }

        @Override
        public void narrowed() {
            record("narrowed");
        }
    }

    private String token(ApiKey k, @Nullable String clientId, Duration ttl, String capability) {
        long now = clock.millis();
        return HeraldTokens.issue(
                k,
                new TokenClaims(
                        k.keyName(), HeraldTokens.newTokenId(), clientId, capability, now, now + ttl.toMillis(), null));
    }

    private String token(@Nullable String clientId, Duration ttl) {
        return token(key, clientId, ttl, Capability.ALL.canonical());
    }

    private AuthLifecycle lifecycle(AuthContext initial) {
        return new AuthLifecycle(owner, loop, clock, authenticator, observer, Duration.ofSeconds(30), initial);
    }

    private static ProtocolMessage auth(String token) {
        ProtocolMessage pm = new ProtocolMessage(Action.AUTH);
        pm.auth = new AuthDetails(token);
        return pm;
    }

    @Test
    void token_getsAuthThirtySecondsBeforeExpiry_andDisconnects40142AtExpiry() {
        AuthLifecycle a = lifecycle(authenticator.token(token("alice", Duration.ofSeconds(90))));
        a.start();
        loop.advance(Duration.ofMillis(59_999));
        assertThat(owner.events).isEmpty();
        loop.advance(Duration.ofMillis(1));
        assertThat(owner.events).containsExactly("AUTH@60000");
        loop.advance(Duration.ofSeconds(30));
        assertThat(owner.events).containsExactly("AUTH@60000", "disconnect 40142@90000");
    }

    @Test
    void shortToken_getsNoAuth_onlyTheExpiry_andAnExpiredOneDisconnectsAtOnce() {
        AuthLifecycle a = lifecycle(authenticator.token(token("alice", Duration.ofSeconds(20))));
        a.start();
        loop.advance(Duration.ofSeconds(20));
        assertThat(owner.events).containsExactly("disconnect 40142@20000");
        owner.events.clear();
        owner.connected = true;
        a.start();
        loop.runPending();
        assertThat(owner.events).containsExactly("disconnect 40142@20000");
    }

    @Test
    void key_neverExpires() {
        AuthLifecycle a = lifecycle(authenticator.key(key.keyString()));
        a.start();
        loop.advance(Duration.ofDays(2));
        assertThat(owner.events).isEmpty();
    }

    @Test
    void pause_holdsTheTimersUntilStartedAgain_andStartKeepsOneSchedule() {
        AuthLifecycle a = lifecycle(authenticator.token(token("alice", Duration.ofSeconds(90))));
        a.start();
        a.start();
        loop.advance(Duration.ofSeconds(60));
        assertThat(owner.events).containsExactly("AUTH@60000");
        a.pause();
        loop.advance(Duration.ofSeconds(100));
        assertThat(owner.events).hasSize(1);
        a.start();
        loop.runPending();
        assertThat(owner.events).containsExactly("AUTH@60000", "disconnect 40142@160000");
    }

    @Test
    void inBandAuth_renewsAndMovesTheExpiry() {
        AuthLifecycle a = lifecycle(authenticator.token(token("alice", Duration.ofSeconds(60))));
        a.start();
        loop.advance(Duration.ofSeconds(40));
        a.reauth(auth(token("alice", Duration.ofSeconds(120))));
        assertThat(owner.events).containsExactly("AUTH@30000", "renewed@40000");
        assertThat(reauthenticated).isEqualTo(1);
        loop.advance(Duration.ofSeconds(89));
        assertThat(owner.events).as("the old token's expiry no longer fires").hasSize(2);
        loop.advance(Duration.ofSeconds(1));
        assertThat(owner.events).endsWith("AUTH@130000");
        loop.advance(Duration.ofSeconds(30));
        assertThat(owner.events).endsWith("disconnect 40142@160000");
    }

    @Test
    void inBandAuth_refusals() {
        AuthLifecycle a = lifecycle(authenticator.token(token("alice", Duration.ofSeconds(60))));
        assertThatThrownBy(() -> a.reauth(new ProtocolMessage(Action.AUTH)))
                .isInstanceOfSatisfying(
                        AblyException.class, e -> assertThat(e.error().code()).isEqualTo(40000));
        a.reauth(auth(token("mallory", Duration.ofSeconds(60))));
        a.reauth(auth(token(otherApp, "alice", Duration.ofSeconds(60), Capability.ALL.canonical())));
        a.reauth(auth(token(null, Duration.ofSeconds(60))));
        assertThat(owner.events).containsExactly("fail 40102@0", "fail 40101@0", "fail 40102@0");
        assertThat(a.current().clientId()).isEqualTo("alice");
        assertThat(reauthenticated).isZero();
    }

    @Test
    void inBandAuth_withAnExpiredToken_disconnects() {
        AuthLifecycle a = lifecycle(authenticator.token(token("alice", Duration.ofSeconds(60))));
        String shortLived = token("alice", Duration.ofSeconds(1));
        clock.advance(Duration.ofSeconds(5));
        a.reauth(auth(shortLived));
        assertThat(owner.events).singleElement().asString().startsWith("disconnect 4014");
    }

    @Test
    void revocation_announced_sendsAuthNow_andDisconnects40141WhenItApplies() {
        AuthLifecycle a = lifecycle(authenticator.token(token("alice", Duration.ofMinutes(10))));
        a.start();
        clock.advance(Duration.ofSeconds(1));
        long now = clock.millis();
        Revocation r = new Revocation(key.keyName(), "clientId", "alice", now, now + 30_000, now + 3_600_000);
        engine.revocations().add(r);
        a.onRevocation(r);
        a.onRevocation(new Revocation(key.keyName(), "clientId", "bob", now, now, now + 3_600_000));
        assertThat(owner.events).containsExactly("AUTH@1000");
        loop.advance(Duration.ofMillis(29_999));
        assertThat(owner.events).hasSize(1);
        loop.advance(Duration.ofMillis(1));
        assertThat(owner.events).containsExactly("AUTH@1000", "disconnect 40141@31000");
    }

    @Test
    void revocation_alreadyApplying_disconnectsAtOnce_butNotAClosedSession() {
        AuthLifecycle a = lifecycle(authenticator.token(token("alice", Duration.ofMinutes(10))));
        clock.advance(Duration.ofSeconds(1));
        long now = clock.millis();
        Revocation r = new Revocation(key.keyName(), "clientId", "alice", now, now, now + 3_600_000);
        engine.revocations().add(r);
        owner.closed = true;
        a.onRevocation(r);
        assertThat(owner.events).isEmpty();
        owner.closed = false;
        a.onRevocation(r);
        assertThat(owner.events).containsExactly("disconnect 40141@1000");
    }

    @Test
    void stop_cancelsAPendingRevocationCheck() {
        AuthLifecycle a = lifecycle(authenticator.token(token("alice", Duration.ofMinutes(10))));
        clock.advance(Duration.ofSeconds(1));
        long now = clock.millis();
        Revocation r = new Revocation(key.keyName(), "clientId", "alice", now, now + 30_000, now + 3_600_000);
        engine.revocations().add(r);
        a.onRevocation(r);
        a.stop();
        loop.advance(Duration.ofMinutes(20));
        assertThat(owner.events).containsExactly("AUTH@1000");
    }

    @Test
    void keyRemovedOrRotated_disconnects40131ForAKey_40141ForATokenOfIt() {
        AuthLifecycle basic = lifecycle(authenticator.key(key.keyString()));
        basic.keyChanged(null);
        AuthLifecycle tokenAuth = lifecycle(authenticator.token(token("alice", Duration.ofMinutes(10))));
        owner.connected = true;
        tokenAuth.keyChanged(new KeyConfig(ApiKey.generate("app"), Capability.ALL, true));
        assertThat(owner.events).containsExactly("disconnect 40131@0", "disconnect 40141@0");
        assertThat(owner.errors.get(0).message()).contains(key.keyName()).contains("was removed");
        assertThat(owner.errors.get(1).message()).contains("secret was rotated");
    }

    @Test
    void keyCapabilityNarrowed_keepsOnlyWhatBothAllow_andTellsTheOwner() {
        AuthLifecycle a = lifecycle(authenticator.key(key.keyString()));
        assertThat(a.allows("chat:room", Operations.PUBLISH)).isTrue();
        a.keyChanged(new KeyConfig(key, Capability.parse("{\"chat:*\":[\"subscribe\"]}"), true));
        assertThat(owner.events).containsExactly("narrowed@0");
        assertThat(a.allows("chat:room", Operations.PUBLISH)).isFalse();
        assertThat(a.allows("chat:room", Operations.SUBSCRIBE)).isTrue();
        assertThat(a.denial("chat:room", "publish"))
                .isEqualTo("Operation not permitted: publish on channel "
                        + "'chat:room' is not allowed by the capability {\"chat:*\":[\"subscribe\"]}");
        a.keyChanged(new KeyConfig(key, Capability.ALL, true));
        assertThat(owner.events).as("a wider key does not widen the connection").hasSize(1);
    }
}

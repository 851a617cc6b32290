package io.herald.server.fuzz;

import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

/**
 * herald-auth's parsers of client input, TokenRequest JSON, Ably JWTs and capabilities, on mutated valid inputs and
 * random strings: each parses or fails with {@link AuthException}, nothing else.
 */
class AuthParserFuzzTest {
    private static final AtomicLong INPUTS = new AtomicLong();
    private static final ApiKey KEY = ApiKey.generate("fuzz");
    private static final Clock CLOCK = Clock.systemUTC();

    @Property
    void tokenRequestJson_parsesOrAuthError(@ForAll("tokenRequests") String json) {
        authOnly(() -> {
            TokenRequest r = TokenRequest.fromJson(json);
            TokenRequests.verifyMac(r, KEY);
        });
    }

    @Property
    void jwt_verifiesOrAuthError(@ForAll("jwts") String jwt) {
        authOnly(() -> AblyJwt.keyName(jwt));
        authOnly(() -> AblyJwt.verify(jwt, KEY, CLOCK));
    }

    @Property
    void capability_parsesOrAuthError(@ForAll("capabilities") String json) {
        authOnly(() -> Capability.parse(json));
    }

    @Provide
    Arbitrary<String> tokenRequests() {
        TokenParams p = new TokenParams();
        p.clientId = "alice";
        p.capability = "{\"chat:*\":[\"publish\",\"subscribe\"]}";
        p.ttl = 60_000L;
        String full = TokenRequests.create(KEY, p, CLOCK).toJson();
        String bare = TokenRequests.create(KEY, new TokenParams(), CLOCK).toJson();
        return Mutator.strings(List.of(full, bare));
    }

    @Provide
    Arbitrary<String> jwts() {
        return Mutator.strings(List.of(
                AblyJwt.mint(KEY, "alice", "{\"*\":[\"*\"]}", Duration.ofMinutes(5), null, CLOCK),
                AblyJwt.mint(KEY, null, null, Duration.ofMinutes(5), "rk", CLOCK)));
    }

    @Provide
    Arbitrary<String> capabilities() {
        return Mutator.strings(List.of(
                "{\"*\":[\"*\"]}",
                "{\"chat:*\":[\"publish\",\"subscribe\",\"presence\"]}",
                "{\"[*]*\":[\"history\"],\"a\":[\"channel-metadata\",\"push-admin\"]}"));
    }

    @AfterContainer
    static void report() {
        System.out.println("AuthParserFuzzTest: " + INPUTS.get() + " parses tried");
    }

    private static void authOnly(Runnable parse) {
        INPUTS.incrementAndGet();
        try {
            parse.run();
        } catch (AuthException expected) {
            // the documented failure: an Ably 40xxx error
        }
    }
}

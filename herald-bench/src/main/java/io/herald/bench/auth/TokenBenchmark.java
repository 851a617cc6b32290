package io.herald.bench.auth;

import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.Operations;
import io.herald.auth.TokenClaims;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * herald-auth hot paths: what an app server pays to mint a TokenRequest, what the server pays per
 * requestToken (MAC check, token issue), per connection (token verify) and per attach/publish
 * (capability check). Run: {@code java -jar herald-bench/target/herald-bench.jar 'io.herald.bench.auth.*'}.
 */
@State(Scope.Benchmark)
// JMH runs @Setup, which sets every field, before any @Benchmark method
@SuppressWarnings("NullAway.Init")
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class TokenBenchmark {

    private static final String[] CHANNELS = {
        "chat:lobby", "chat:room:42", "[?rewind=1]notifications", "private:alice", "[meta]log", "other"
    };

    private ApiKey key;
    private TokenParams params;
    private Clock clock;
    private TokenRequest request;
    private TokenClaims claims;
    private String token;
    private Capability fiveResources;
    private Capability requested;
    private int next;

    @Setup
    public void setUp() {
        key = ApiKey.parse("benchApp.benchKey:Zx3v9Q-k_7TtWqA2bLpR0sYdE5fUgHiJ1mNoP4rS6uV");
        clock = Clock.systemUTC();
        params = new TokenParams()
                .withClientId("user-1234")
                .withTtl(3_600_000L)
                .withCapability(
                        "{\"chat:*\":[\"publish\",\"subscribe\",\"presence\"],\"notifications\":[\"subscribe\"]}");
        request = TokenRequests.create(key, params, clock);
        fiveResources = Capability.parse(
                "{\"chat:*\":[\"publish\",\"subscribe\",\"presence\"],\"notifications\":[\"subscribe\",\"history\"],"
                        + "\"private:*:inbox\":[\"subscribe\"],\"[meta]*\":[\"subscribe\"],\"alerts\":[\"*\"]}");
        requested = Capability.parse(
                "{\"chat:room:*\":[\"*\"],\"notifications\":[\"*\"],\"private:bob:inbox\":[\"subscribe\",\"publish\"],\"x\":[\"publish\"]}");
        claims = new TokenClaims(
                key.keyName(),
                HeraldTokens.newTokenId(),
                "user-1234",
                fiveResources.canonical(),
                1_700_000_000_000L,
                1_700_003_600_000L,
                null);
        token = HeraldTokens.issue(key, claims);
    }

    /** App server: sign a TokenRequest (capability canonicalisation, SecureRandom nonce, HMAC). */
    @Benchmark
    public TokenRequest mintTokenRequest() {
        return TokenRequests.create(key, params, clock);
    }

    /** Server, requestToken: check the MAC over the fields as received. */
    @Benchmark
    public boolean verifyTokenRequestMac() {
        return TokenRequests.verifyMac(request, key.secret());
    }

    /** Server, requestToken: sign a Herald token. */
    @Benchmark
    public String heraldTokenIssue() {
        return HeraldTokens.issue(key, claims);
    }

    /** Server, connect/REST: verify a Herald token and decode its claims. */
    @Benchmark
    public TokenClaims heraldTokenVerify() {
        return HeraldTokens.verify(token, key);
    }

    /** Server, attach/publish: capability check on a 5-resource capability (rotating channels, hits and misses). */
    @Benchmark
    public boolean capabilityAllows() {
        String channel = CHANNELS[next++ % CHANNELS.length];
        return fiveResources.allows(channel, Operations.SUBSCRIBE);
    }

    /** Server, requestToken: requested capability intersected with the key capability. */
    @Benchmark
    public Capability capabilityIntersect() {
        return fiveResources.intersect(requested);
    }
}

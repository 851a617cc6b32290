package io.herald.bench.auth;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.TokenClaims;
import io.herald.auth.TokenDetails;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The steps of one {@code POST /keys/{keyName}/requestToken} with a signed TokenRequest, each on its own, in the order
 * the server takes them: the body into a tree, the tree into a TokenRequest, the MAC check, the requested capability
 * parsed and intersected with the key's, a random token id, the token signed, the TokenDetails written as herald-auth
 * writes them ({@code writeDetailsText}, as the server does for JSON; {@code writeDetails} is the map through the
 * protocol's codec it used before, and still uses for msgpack). {@code all} is the sum as one call. HMAC-SHA256 is
 * measured with a Mac initialised for its key on every call and kept initialised. The token id is measured with the
 * shared default {@code SecureRandom} and with one DRBG per thread, on one thread and on four (the server's event
 * loops all issue tokens). Run: {@code java -jar herald-bench/target/herald-bench.jar RequestTokenBenchmark}.
 */
@State(Scope.Benchmark)
// JMH runs @Setup, which sets every field, before any @Benchmark method
@SuppressWarnings("NullAway.Init")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RequestTokenBenchmark {
    private static final ProtocolCodec JSON = ProtocolCodec.of(Format.JSON);
    private static final SecureRandom SHARED = new SecureRandom();
    private static final ThreadLocal<SecureRandom> PER_THREAD = ThreadLocal.withInitial(() -> {
        try {
            return SecureRandom.getInstance("DRBG");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    });

    private ApiKey key;
    private Capability bound;
    private byte[] body;
    private JsonNode tree;
    private TokenRequest request;
    private Capability granted;
    private TokenClaims claims;
    private String token;
    private Mac mac;
    private Mac initialised;
    private byte[] macKey;
    private byte[] macData;

    @Setup
    public void setUp() {
        key = ApiKey.parse("benchApp.benchKey:Zx3v9Q-k_7TtWqA2bLpR0sYdE5fUgHiJ1mNoP4rS6uV");
        bound = Capability.parse("{\"*\":[\"*\"]}");
        TokenParams params = new TokenParams()
                .withClientId("http-1")
                .withTtl(3_600_000L)
                .withCapability("{\"chat:*\":[\"publish\",\"subscribe\",\"presence\"]}");
        body = TokenRequests.create(key, params).toJson().getBytes(StandardCharsets.UTF_8);
        tree = JSON.decodeTree(body);
        request = TokenRequest.fromJsonNode(tree);
        granted = grant(request);
        claims = claims(granted, "jZYDSLEvenB8TAYQ-x_1ab");
        token = HeraldTokens.issue(key, claims);
        try {
            macKey = key.secret().getBytes(StandardCharsets.UTF_8);
            macData = new String(body, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_8);
            mac = Mac.getInstance("HmacSHA256");
            initialised = Mac.getInstance("HmacSHA256");
            initialised.init(new SecretKeySpec(macKey, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private Capability grant(TokenRequest r) {
        String requested = r.capability();
        return requested == null ? bound : Capability.parse(requested).intersect(bound);
    }

    private TokenClaims claims(Capability capability, String tokenId) {
        long now = 1_795_815_159_221L;
        return new TokenClaims(key.keyName(), tokenId, "http-1", capability.canonical(), now, now + 3_600_000L, null);
    }

    private static String tokenId(SecureRandom random) {
        byte[] b = new byte[16];
        random.nextBytes(b);
        char[] out = new char[16];
        for (int i = 0; i < 16; i++) {
            out[i] = (char) ('A' + (b[i] & 0x1f));
        }
        return new String(out);
    }

    private Map<String, Object> details(String t, TokenClaims c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("token", t);
        m.put("keyName", c.keyName());
        m.put("issued", c.issued());
        m.put("expires", c.expires());
        m.put("capability", c.capability());
        m.put("clientId", c.clientId());
        return m;
    }

    @Benchmark
    public JsonNode parseBody() {
        return JSON.decodeTree(body);
    }

    @Benchmark
    public TokenRequest readTokenRequest() {
        return TokenRequest.fromJsonNode(tree);
    }

    @Benchmark
    public boolean verifyMac() {
        return TokenRequests.verifyMac(request, key.secret());
    }

    @Benchmark
    public String capability() {
        return grant(request).canonical();
    }

    @Benchmark
    public String tokenIdShared() {
        return tokenId(SHARED);
    }

    @Benchmark
    public String tokenIdPerThread() {
        return tokenId(PER_THREAD.get());
    }

    @Benchmark
    @Threads(4)
    public String tokenIdShared4Threads() {
        return tokenId(SHARED);
    }

    @Benchmark
    @Threads(4)
    public String tokenIdPerThread4Threads() {
        return tokenId(PER_THREAD.get());
    }

    /** One HMAC-SHA256 of a TokenRequest-sized text with a Mac initialised for the key on every call. */
    @Benchmark
    public byte[] hmacInitEachCall() throws GeneralSecurityException {
        Mac m = mac;
        m.init(new SecretKeySpec(macKey, "HmacSHA256"));
        return m.doFinal(macData);
    }

    /** The same with the Mac kept initialised ({@code doFinal} leaves it ready for the same key). */
    @Benchmark
    public byte[] hmacInitOnce() {
        return initialised.doFinal(macData);
    }

    @Benchmark
    public String issueToken() {
        return HeraldTokens.issue(key, claims);
    }

    /** The TokenDetails as the server writes a JSON reply: a map through the protocol's JSON codec. */
    @Benchmark
    public byte[] writeDetails() {
        return JSON.encodeValue(details(token, claims));
    }

    /** The TokenDetails as herald-auth writes them ({@link TokenDetails#toJson()}): the same text, without a map. */
    @Benchmark
    public byte[] writeDetailsText() {
        return detailsText(token, claims);
    }

    /** The TokenDetails JSON as the server writes it (herald-auth's {@link TokenDetails#toJson()}). */
    private static byte[] detailsText(String t, TokenClaims c) {
        return new TokenDetails(t, c.keyName(), c.issued(), c.expires(), c.capability(), c.clientId())
                .toJson()
                .getBytes(StandardCharsets.UTF_8);
    }

    @Benchmark
    public byte[] all() {
        TokenRequest r = TokenRequest.fromJsonNode(JSON.decodeTree(body));
        if (!TokenRequests.verifyMac(r, key.secret())) {
            throw new IllegalStateException("mac");
        }
        TokenClaims c = claims(grant(r), tokenId(PER_THREAD.get()));
        return detailsText(HeraldTokens.issue(key, c), c);
    }
}

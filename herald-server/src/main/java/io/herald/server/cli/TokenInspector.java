package io.herald.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.AblyJwt;
import io.herald.auth.ApiKey;
import io.herald.auth.AuthException;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.TokenClaims;
import io.herald.auth.TokenRequest;
import io.herald.auth.TokenRequests;
import io.herald.core.config.Timings;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What {@code herald token inspect} says about a Herald token, an Ably JWT, a TokenRequest or a TokenDetails: the
 * decoded fields, each check with its outcome and reason, and a verdict. Offline: it knows the default server
 * settings (a ±2 min TokenRequest window) but not the nonces a server has seen.
 */
final class TokenInspector {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WINDOW = Timings.DEFAULTS.tokenRequestWindow();
    private static final int MIN_NONCE = 16;

    /** The outcome: printable lines and whether the input is valid (or would be accepted). */
    record Report(List<String> lines, boolean valid) {}

    private final @Nullable ApiKey key;
    private final Clock clock;
    private final List<String> lines = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private boolean signatureChecked;

    private TokenInspector(@Nullable ApiKey key, Clock clock) {
        this.key = key;
        this.clock = clock;
    }

    /**
     * @param input a Herald token ({@code hdt1.…}), an Ably JWT, or TokenRequest / TokenDetails JSON
     * @param key   the key to verify with, or {@code null} to decode only
     */
    static Report inspect(String input, @Nullable ApiKey key, Clock clock) {
        TokenInspector t = new TokenInspector(key, clock);
        t.run(input.strip());
        return t.report();
    }

    private void run(String s) {
        if (s.startsWith("{")) {
            JsonNode node;
            try {
                node = JSON.readTree(s);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                problem("not valid JSON: " + e.getOriginalMessage());
                return;
            }
            if (node != null && node.path("token").isTextual() && !node.has("mac")) {
                lines.add("TokenDetails; its token:");
                run(node.get("token").asText().strip());
            } else {
                tokenRequest(node);
            }
        } else if (HeraldTokens.looksLikeHeraldToken(s)) {
            heraldToken(s);
        } else if (AblyJwt.looksLikeJwt(s)) {
            jwt(s);
        } else {
            problem("not a Herald token (hdt1.…), an Ably JWT or TokenRequest JSON"
                    + (s.indexOf(':') > 0 && s.indexOf('.') > 0
                            ? " (it looks like an API key: keep that secret)"
                            : ""));
        }
    }

    // ---- Herald tokens ----

    private void heraldToken(String token) {
        TokenClaims c;
        try {
            c = HeraldTokens.decodeUnverified(token);
        } catch (AuthException e) {
            lines.add("Herald token");
            problem(e.getMessage() + " (" + e.code() + ")");
            return;
        }
        lines.add("Herald token");
        field("keyName", c.keyName());
        field("tokenId", c.tokenId());
        field("clientId", clientId(c.clientId()));
        field("capability", c.capability());
        times(c.issued(), c.expires());
        if (c.revocationKey() != null) {
            field("revocationKey", c.revocationKey());
        }
        if (key == null) {
            field("signature", "not checked (give --key to verify it)");
        } else {
            signatureChecked = true;
            try {
                HeraldTokens.verify(token, key);
                field("signature", "valid for key " + key.keyName());
            } catch (AuthException e) {
                String why = c.keyName().equals(key.keyName())
                        ? "does not match key " + key.keyName()
                        : "the token names key " + c.keyName() + ", --key is " + key.keyName();
                field("signature", "INVALID: " + why + " (" + e.code() + " " + e.getMessage() + ")");
                problem("signature " + why);
            }
        }
        expiry(c.expires());
    }

    // ---- Ably JWTs ----

    private void jwt(String jwt) {
        lines.add("Ably JWT");
        String kid;
        JsonNode header;
        JsonNode claims;
        try {
            kid = AblyJwt.keyName(jwt);
            String[] parts = jwt.split("\\.", -1);
            header = JSON.readTree(Base64.getUrlDecoder().decode(parts[0]));
            claims = JSON.readTree(Base64.getUrlDecoder().decode(parts[1]));
        } catch (AuthException e) {
            problem(e.getMessage() + " (" + e.code() + ")");
            return;
        } catch (IOException | IllegalArgumentException e) {
            problem("the JWT claims are not base64url JSON");
            return;
        }
        if (claims == null || !claims.isObject()) {
            problem("the JWT claims are not a JSON object");
            return;
        }
        field("keyName", kid + " (kid)");
        field("alg", header.path("alg").asText("?"));
        field("clientId", clientId(text(claims, "x-ably-clientId")));
        String cap = text(claims, "x-ably-capability");
        field("capability", cap == null ? "(none: the key's capability)" : cap);
        if (!claims.path("iat").canConvertToLong() || !claims.path("exp").canConvertToLong()) {
            problem("the JWT must carry numeric iat and exp claims");
            return;
        }
        long iat = claims.get("iat").asLong() * 1000;
        long exp = claims.get("exp").asLong() * 1000;
        times(iat, exp);
        if (text(claims, "x-ably-revocation-key") != null) {
            field("revocationKey", text(claims, "x-ably-revocation-key"));
        }
        if (key == null) {
            field("signature", "not checked (give --key to verify it)");
        } else {
            signatureChecked = true;
            long at = Math.max(iat, claims.path("nbf").asLong(0) * 1000);
            try {
                // verified as of its issue time, so an expired JWT still tells whether its signature is good
                AblyJwt.verify(jwt, key, Clock.fixed(Instant.ofEpochMilli(at), ZoneOffset.UTC));
                field("signature", "valid for key " + key.keyName());
            } catch (AuthException e) {
                field("signature", "INVALID: " + e.getMessage() + " (" + e.code() + ")");
                problem(e.getMessage());
            }
        }
        if (claims.path("nbf").canConvertToLong() && claims.get("nbf").asLong() * 1000 > clock.millis()) {
            problem("not valid yet (nbf "
                    + Instant.ofEpochSecond(claims.get("nbf").asLong()) + ")");
        }
        expiry(exp);
    }

    // ---- TokenRequests ----

    private void tokenRequest(JsonNode node) {
        TokenRequest r;
        try {
            r = TokenRequest.fromJsonNode(node);
        } catch (AuthException e) {
            lines.add("TokenRequest");
            problem(e.getMessage() + " (" + e.code() + ")");
            return;
        }
        lines.add(r.isSigned() ? "TokenRequest (signed)" : "TokenParams (unsigned: no mac)");
        field("keyName", r.keyName() == null ? "(none)" : r.keyName());
        field("clientId", clientId(r.clientId()));
        field("capability", r.capability() == null ? "(none: the key's capability)" : r.capability());
        String ttl;
        try {
            Long ms = r.ttlMillis();
            ttl = ms == null || ms == 0
                    ? "(none: the server default, " + human(Timings.DEFAULTS.defaultTokenTtl()) + ")"
                    : ms + " ms (" + human(Duration.ofMillis(ms)) + ")";
        } catch (AuthException e) {
            ttl = r.ttl() + " (INVALID: " + e.getMessage() + ")";
        }
        field("ttl", ttl);
        Long ts = null;
        try {
            ts = r.timestampMillis();
            field("timestamp", ts + " = " + Instant.ofEpochMilli(ts) + " (" + relative(ts - clock.millis()) + ")");
        } catch (AuthException e) {
            field("timestamp", (r.timestamp() == null ? "(none)" : r.timestamp()) + " (INVALID)");
        }
        field("nonce", r.nonce() == null ? "(none)" : r.nonce().length() + " characters");
        if (!r.isSigned()) {
            problem("not signed: Herald accepts TokenParams only with the key's Basic auth or a token, "
                    + "never from a browser on their own");
            return;
        }
        lines.add("checks:");
        // mac
        if (key == null) {
            check("mac", "not checked (give --key to verify it)");
        } else {
            signatureChecked = true;
            if (r.keyName() != null && !r.keyName().equals(key.keyName())) {
                fail("mac", "the request is for key " + r.keyName() + ", --key is " + key.keyName() + " (40101)");
            } else if (TokenRequests.verifyMac(r, key.secret())) {
                check("mac", "ok (matches key " + key.keyName() + ")");
            } else {
                fail(
                        "mac",
                        "does not match key " + key.keyName() + ": a field was changed after signing, or it "
                                + "was signed with another secret (40101 Invalid mac)");
            }
        }
        // timestamp window
        if (ts == null) {
            fail("timestamp", "missing or not an integer number of ms (40001)");
        } else {
            long skew = ts - clock.millis();
            if (Math.abs(skew) <= WINDOW.toMillis()) {
                check(
                        "timestamp",
                        "ok (" + relative(skew) + ", within ±" + human(WINDOW)
                                + " of this machine's clock, the server's default window)");
            } else {
                fail(
                        "timestamp",
                        relative(skew) + ": outside ±" + human(WINDOW)
                                + " of this machine's clock (40104 Timestamp not current); sign a fresh TokenRequest"
                                + (skew > 0 ? " or check the signer's clock" : ""));
            }
        }
        // nonce
        if (r.nonce() == null || r.nonce().length() < MIN_NONCE) {
            fail(
                    "nonce",
                    (r.nonce() == null ? "missing" : r.nonce().length() + " characters") + ": at least " + MIN_NONCE
                            + " needed (40003)");
        } else {
            check(
                    "nonce",
                    "length ok (" + r.nonce().length() + " characters); single use is checked by the server "
                            + "(40105 on replay) and cannot be checked offline");
        }
        // capability and ttl syntax
        if (r.capability() != null) {
            try {
                Capability.parse(r.capability());
                check("capability", "valid JSON capability");
            } catch (AuthException e) {
                fail("capability", e.getMessage() + " (40000)");
            }
        }
        try {
            Long ms = r.ttlMillis();
            if (ms != null && ms > Timings.DEFAULTS.maxTokenTtl().toMillis()) {
                check(
                        "ttl",
                        "longer than the default maximum of " + human(Timings.DEFAULTS.maxTokenTtl())
                                + " (40003 unless the server's timings.maxTokenTtl allows it)");
            }
        } catch (AuthException e) {
            fail("ttl", e.getMessage() + " (40003)");
        }
    }

    // ---- shared ----

    private void times(long issued, long expires) {
        long now = clock.millis();
        field("issued", Instant.ofEpochMilli(issued) + " (" + relative(issued - now) + ")");
        field(
                "expires",
                Instant.ofEpochMilli(expires)
                        + (expires > now
                                ? " (in " + human(Duration.ofMillis(expires - now)) + ")"
                                : " (EXPIRED " + human(Duration.ofMillis(now - expires)) + " ago)"));
    }

    private void expiry(long expires) {
        long now = clock.millis();
        if (expires <= now) {
            problem("expired " + human(Duration.ofMillis(now - expires)) + " ago (40142 Token expired)");
        }
    }

    private Report report() {
        String verdict;
        boolean isRequest = lines.stream().anyMatch(l -> l.equals("checks:"));
        if (!problems.isEmpty()) {
            verdict = (isRequest ? "result: would be REFUSED: " : "result: INVALID: ") + String.join("; ", problems);
        } else if (isRequest) {
            verdict = signatureChecked
                    ? "result: would be accepted (if its nonce was not used before)"
                    : "result: would be accepted if the mac is right (not checked: no --key) and the nonce is unused";
        } else {
            verdict = signatureChecked ? "result: valid" : "result: not expired; signature not checked (no --key)";
        }
        lines.add(verdict);
        return new Report(List.copyOf(lines), problems.isEmpty());
    }

    private void field(String name, @Nullable String value) {
        lines.add(String.format("  %-14s %s", name + ":", value));
    }

    private void check(String name, String value) {
        lines.add(String.format("  %-12s %s", name + ":", value));
    }

    private void fail(String name, String why) {
        check(name, "FAIL: " + why);
        problems.add(name + " " + why);
    }

    private void problem(String why) {
        problems.add(why);
    }

    private static String clientId(@Nullable String clientId) {
        if (clientId == null) {
            return "(none: anonymous)";
        }
        return clientId.equals("*") ? "* (any clientId, chosen by the client)" : clientId;
    }

    private static @Nullable String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }

    /** {@code 3m 12s ago} or {@code in 3m 12s} for an offset from now. */
    static String relative(long offsetMillis) {
        if (Math.abs(offsetMillis) < 1000) {
            return "now";
        }
        String d = human(Duration.ofMillis(Math.abs(offsetMillis)));
        return offsetMillis < 0 ? d + " ago" : "in " + d;
    }

    /** {@code 1d 2h}, {@code 59m 58s}, {@code 12s}: the two largest units. */
    static String human(Duration d) {
        long s = d.toSeconds();
        if (s < 60) {
            return s + "s";
        }
        long days = s / 86_400;
        long h = s % 86_400 / 3_600;
        long m = s % 3_600 / 60;
        long sec = s % 60;
        if (days > 0) {
            return days + "d" + (h > 0 ? " " + h + "h" : "");
        }
        if (h > 0) {
            return h + "h" + (m > 0 ? " " + m + "m" : "");
        }
        return m + "m" + (sec > 0 ? " " + sec + "s" : "");
    }
}

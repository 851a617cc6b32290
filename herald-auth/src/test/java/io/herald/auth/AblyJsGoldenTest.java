package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Golden vectors from the official ably-js 2.26.0 SDK (npm), driven by {@code ablyjs-golden.js}: its
 * {@code auth.createTokenRequest} with a fixed timestamp and nonce must give the same canonical capability
 * and MAC as {@link TokenRequests#create}, and every request it mints must pass {@link TokenRequests#verifyMac}.
 */
class AblyJsGoldenTest {

    private static final ApiKey KEY = ApiKey.parse("appGold.keyJs:Zx3v9Q-k_7TtWqA2bLpR0sYdE5fUgHiJ1mNoP4rS6uV");
    private static final long TIMESTAMP = 1_700_000_000_000L;
    private static final String NONCE = "0123456789012345";

    /** ttl, capability, clientId; {@code null} = not passed to the SDK. */
    private static final List<Object[]> CASES = List.of(
            new Object[] {null, null, null},
            new Object[] {3_600_000L, "{\"chat:*\":[\"subscribe\",\"publish\",\"presence\"]}", "user-1"},
            new Object[] {0L, "{\"*\":[\"*\"]}", "*"},
            new Object[] {
                60_000L,
                " { \"b\" : [\"history\"], \"a\":[\"subscribe\"], \"[meta]*\":[\"subscribe\"], \"[*]*\":[\"stats\"] } ",
                null
            },
            new Object[] {86_400_000L, null, "clïent ☃ 😀"},
            new Object[] {1L, "{\"room:<b>&co='x'\":[\"publish\"]}", "a<b>&c='d'"},
            new Object[] {
                120_000L,
                "{\"q=1\":[\"subscribe\"],\"it's\":[\"presence\"],\"x&y\":[\"*\"],\"<tag>\":[\"history\"]}",
                "bob"
            },
            new Object[] {
                5_000L,
                "{\"quote\\\"back\\\\slash\":[\"publish\"],\"tab\\there\":[\"subscribe\"],\"ctl\\u0001\\u001f\\u007f\":[\"history\"]}",
                "line\nbreak"
            },
            new Object[] {
                null,
                "{\"10\":[\"publish\"],\"9\":[\"subscribe\"],\"b\":[\"presence\"],\"01\":[\"history\"],\"4294967295\":[\"stats\"],\"4294967294\":[\"stats\"]}",
                null
            },
            new Object[] {
                null,
                "{\"\\uff5e\":[\"publish\"],\"\\ud83d\\ude00\":[\"publish\"],\"Z\":[\"subscribe\",\"annotation-publish\",\"object-subscribe\",\"channel-metadata\"],\"\\u2028\":[\"publish\"]}",
                null
            });

    @Test
    void createTokenRequest_fixedInputs_sameCanonicalCapabilityAndMacAsOurs() {
        Map<String, Object> job = new LinkedHashMap<>();
        job.put("mode", "tokenRequests");
        job.put("key", KEY.keyString());
        List<Map<String, Object>> cases = new ArrayList<>();
        for (Object[] c : CASES) {
            Map<String, Object> m = new LinkedHashMap<>();
            if (c[0] != null) {
                m.put("ttl", c[0]);
            }
            if (c[1] != null) {
                m.put("capability", c[1]);
            }
            if (c[2] != null) {
                m.put("clientId", c[2]);
            }
            m.put("timestamp", TIMESTAMP);
            m.put("nonce", NONCE);
            cases.add(m);
        }
        job.put("cases", cases);
        JsonNode out = NodeScripts.run("ablyjs-golden.js", job);
        assertThat(out.path("version").asText()).isEqualTo("2.26.0");
        JsonNode requests = out.get("requests");
        assertThat(requests).hasSize(CASES.size());

        Clock clock = Clock.fixed(Instant.ofEpochMilli(TIMESTAMP), ZoneOffset.UTC);
        for (int i = 0; i < CASES.size(); i++) {
            Object[] c = CASES.get(i);
            String jsJson = requests.get(i).asText();
            TokenRequest js = TokenRequest.fromJson(jsJson);
            TokenParams params = new TokenParams()
                    .withTtl((Long) c[0])
                    .withCapability((String) c[1])
                    .withClientId((String) c[2])
                    .withNonce(NONCE);
            TokenRequest ours = TokenRequests.create(KEY, params, clock);
            String label = "case " + i + ": " + jsJson;
            assertThat(ours.capability()).as(label).isEqualTo(js.capability());
            if (c[1] != null) {
                assertThat(Capability.parse((String) c[1]).canonical())
                        .as(label)
                        .isEqualTo(js.capability());
            }
            assertThat(ours.mac()).as(label).isEqualTo(js.mac());
            assertThat(TokenRequests.verifyMac(js, KEY)).as(label).isTrue();
            if (!Long.valueOf(0L).equals(c[0])) {
                // ably-js writes "ttl":0 where we omit it; otherwise the JSON is identical
                assertThat(ours.toJson()).as(label).isEqualTo(jsJson);
            }
        }
    }

    @Test
    void createTokenRequest_randomInputs_verifyAndCanonicalAgree() {
        long seed = System.nanoTime();
        Map<String, Object> job =
                Map.of("mode", "random", "key", KEY.keyString(), "count", 300, "seed", seed & 0xffffffffL);
        JsonNode out = NodeScripts.run("ablyjs-golden.js", job);
        JsonNode cases = out.get("cases");
        assertThat(cases).hasSize(300);
        for (JsonNode c : cases) {
            String jsJson = c.get("request").asText();
            String label = "seed " + (seed & 0xffffffffL) + ": " + jsJson;
            TokenRequest js = TokenRequest.fromJson(jsJson);
            assertThat(TokenRequests.verifyMac(js, KEY)).as(label).isTrue();
            assertThat(TokenRequests.verifyMac(js, "wrong" + KEY.secret()))
                    .as(label)
                    .isFalse();
            assertThat(js.nonce()).as(label).hasSize(16);
            if (!c.get("capabilityInput").isNull()) {
                assertThat(Capability.parse(c.get("capabilityInput").asText()).canonical())
                        .as(label)
                        .isEqualTo(js.capability());
            }
            TokenParams same = new TokenParams()
                    .withTtl(js.ttlMillis())
                    .withCapability(js.capability())
                    .withClientId(js.clientId())
                    .withTimestamp(js.timestampMillis())
                    .withNonce(js.nonce());
            assertThat(TokenRequests.create(KEY, same, Clock.systemUTC()).mac())
                    .as(label)
                    .isEqualTo(js.mac());
        }
    }
}

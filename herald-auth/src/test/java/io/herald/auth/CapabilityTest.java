package io.herald.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CapabilityTest {

    // ---- validation (JST rest/capability.test.js "Invalid capabilities"; docs/protocol.md §5.1, §11) ----

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "not JSON             | {chat:[publish]}                       | not valid JSON",
                "trailing garbage     | {\"a\":[\"publish\"]}x                 | not valid JSON",
                "empty string         | ''                                     | empty",
                "array                | [\"publish\"]                          | must be a JSON object, got an array",
                "string               | \"x\"                                  | must be a JSON object, got a string",
                "value not array      | {\"a\":\"publish\"}                    | \"a\": operations must be an array of strings, got a string",
                "op not string        | {\"a\":[1]}                            | \"a\": operations must be strings, got a number",
                "empty ops            | {\"a\":[]}                             | \"a\": operations list is empty",
                "unknown op           | {\"a\":[\"publish\",\"fly\"]}          | \"a\": unknown operation \"fly\"",
                "star mixed           | {\"a\":[\"*\",\"publish\"]}            | \"a\": \"*\" must be the only operation",
                "empty resource       | {\"\":[\"publish\"]}                   | empty resource name",
                "lone surrogate       | {\"a\\ud800b\":[\"publish\"]}         | not valid JSON",
                "duplicate resource   | {\"a\":[\"publish\"],\"a\":[\"*\"]}    | Duplicate field 'a'"
            })
    void parse_invalidCapability_throws400NamingProblem(String label, String json, String expected) {
        assertThatThrownBy(() -> Capability.parse(json))
                .isInstanceOfSatisfying(AuthException.class, e -> {
                    assertThat(e.code()).isEqualTo(40000);
                    assertThat(e.statusCode()).isEqualTo(400);
                })
                .hasMessageContaining(expected);
    }

    @Test
    void parse_emptyObject_isEmpty() {
        assertThat(Capability.parse("{}").isEmpty()).isTrue();
        assertThat(Capability.parse("{}").canonical()).isEqualTo("{}");
    }

    @Test
    void parse_repeatedOperation_merged() {
        assertThat(Capability.parse("{\"a\":[\"publish\",\"publish\"]}").canonical())
                .isEqualTo("{\"a\":[\"publish\"]}");
    }

    @Test
    void parse_everyKnownOperation_accepted() {
        Map<String, List<String>> m = Map.of("x", List.copyOf(Operations.KNOWN));
        assertThat(Capability.of(m).resources().get("x")).containsExactlyElementsOf(Operations.KNOWN);
        assertThat(Operations.KNOWN).hasSize(17).doesNotContain(Operations.ALL);
    }

    @Test
    void of_nullOperations_rejected() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("a", null);
        assertThatThrownBy(() -> Capability.of(m))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("\"a\"");
    }

    // ---- canonical form (docs/protocol.md §5.2; JS auth.ts c14n = JSON.stringify) ----

    @Test
    void canonical_unsortedWithWhitespace_sortedCompact() {
        Capability c =
                Capability.parse(" { \"b\" : [\"subscribe\", \"publish\"], \"a:*\":[\"presence\"], \"*\":[\"*\"] } ");
        assertThat(c.canonical()).isEqualTo("{\"*\":[\"*\"],\"a:*\":[\"presence\"],\"b\":[\"publish\",\"subscribe\"]}");
        assertThat(c).hasToString(c.canonical());
        assertThat(c.resources()).containsOnlyKeys("*", "a:*", "b");
        assertThat(c.resources().keySet()).containsExactly("*", "a:*", "b");
    }

    @Test
    void canonical_charactersGsonEscapes_leftLiteralLikeJsonStringify() {
        Capability c = Capability.of(Map.of("<a>&b='c'", List.of("publish")));
        assertThat(c.canonical()).isEqualTo("{\"<a>&b='c'\":[\"publish\"]}");
        assertThat(Capability.parse("{\"\\u003ca\\u003e\\u0026b\\u003d\\u0027c\\u0027\":[\"publish\"]}"))
                .isEqualTo(c);
    }

    @Test
    void canonical_charactersJsonStringifyEscapes_escapedLowercaseHex() {
        Capability c = Capability.of(Map.of("q\"b\\s\b\f\n\r\t\u0001\u001f\u007f\u2028é😀x", List.of("publish")));
        assertThat(c.canonical())
                .isEqualTo("{\"q\\\"b\\\\s\\b\\f\\n\\r\\t\\u0001\\u001f\u007f\u2028é😀x\":[\"publish\"]}");
    }

    @Test
    void of_unpairedSurrogateInResource_rejected() {
        assertThatThrownBy(() -> Capability.of(Map.of("a\udc00", List.of("publish"))))
                .isInstanceOf(AuthException.class)
                .hasMessageContaining("unpaired UTF-16 surrogates");
    }

    @Test
    void canonical_arrayIndexResources_firstInNumericOrderLikeJsonStringify() {
        Capability c =
                Capability.parse("{\"b\":[\"publish\"],\"10\":[\"publish\"],\"9\":[\"publish\"],\"01\":[\"publish\"],"
                        + "\"4294967294\":[\"publish\"],\"4294967295\":[\"publish\"],\"-1\":[\"publish\"]}");
        assertThat(c.resources().keySet()).containsExactly("9", "10", "4294967294", "-1", "01", "4294967295", "b");
    }

    @Test
    void canonical_sortsByUtf16CodeUnits() {
        // by UTF-16 code unit 😀 (U+D83D U+DE00) sorts before U+FF5E; by code point it would sort after
        Capability c = Capability.of(Map.of(
                "\uff5e",
                List.of("publish"),
                "😀",
                List.of("publish"),
                "Z",
                List.of("publish"),
                "a",
                List.of("publish")));
        assertThat(c.resources().keySet()).containsExactly("Z", "a", "😀", "\uff5e");
    }

    @Test
    void equals_sameCanonicalForm_equalAndSameHash() {
        Capability a = Capability.parse("{\"x\":[\"subscribe\",\"publish\"]}");
        Capability b = Capability.of(Map.of("x", List.of("publish", "subscribe")));
        assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
        assertThat(a).isNotEqualTo(Capability.ALL);
        assertThat(Capability.ALL.canonical()).isEqualTo("{\"*\":[\"*\"]}");
    }

    // ---- matching (docs/protocol.md §5.3) ----

    @ParameterizedTest(name = "{0} ~ {1} = {2}")
    @CsvSource({
        "*,            foo,                 true",
        "*,            foo:bar:baz,         true",
        "*,            [meta]log,           false",
        "*,            [queue]q1,           false",
        "*,            [?rewind=1]foo,      true",
        "*,            '[filter=name == \"x\"]foo', true",
        "*,            [meta?rewind=1]log,  false",
        "*,            [unknownns]x,        false",
        "ns:*,         ns:a,                true",
        "ns:*,         ns:a:b,              true",
        "ns:*,         ns,                  false",
        "ns:*,         nsx:a,               false",
        "ns:*,         [?rewind=1]ns:a,     true",
        "foo:*:baz,    foo:bar:baz,         true",
        "foo:*:baz,    foo:bar:bam:baz,     false",
        "foo:*:baz,    foo:bar:bam,         false",
        "foo:*:baz,    foo:baz,             false",
        "foo*,         foo*,                true",
        "foo*,         foobar,              false",
        "foo*,         foo,                 false",
        "foo,          foo,                 true",
        "foo,          foo:bar,             false",
        "foo,          [?rewind=1]foo,      true",
        "[*]*,         foo,                 true",
        "[*]*,         a:b:c,               true",
        "[*]*,         [meta]log,           true",
        "[*]*,         [queue]q1,           true",
        "[queue]*,     [queue]q1,           true",
        "[queue]*,     foo,                 false",
        "[queue]*,     [meta]log,           false",
        "[meta]*,      [meta]log,           true",
        "[meta]*,      [meta?rewind=1]log,  true",
        "[meta]*,      log,                 false",
        "[meta]log,    [meta]log,           true",
        "[meta]log,    log,                 false"
    })
    void allows_resourcePatternAgainstChannel_matchesAsDocumented(String resource, String channel, boolean expected) {
        Capability c = Capability.of(Map.of(resource, List.of("subscribe")));
        assertThat(c.allows(channel, Operations.SUBSCRIBE)).isEqualTo(expected);
        assertThat(c.allows(channel, Operations.PUBLISH)).isFalse();
    }

    @Test
    void allows_starOperation_grantsEveryKnownOperation() {
        Capability c = Capability.parse("{\"room:*\":[\"*\"]}");
        for (String op : Operations.KNOWN) {
            assertThat(c.allows("room:1", op)).as(op).isTrue();
        }
        assertThat(c.allows("room:1", Operations.ALL)).isTrue();
        assertThat(c.allows("lobby", Operations.SUBSCRIBE)).isFalse();
    }

    @Test
    void allows_allOperationQueryWithPartialOps_false() {
        assertThat(Capability.parse("{\"a\":[\"publish\"]}").allows("a", Operations.ALL))
                .isFalse();
    }

    @Test
    void allows_unknownOperation_throwsIllegalArgument() {
        assertThatThrownBy(() -> Capability.ALL.allows("a", "publsh")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void operationsFor_severalMatchingResources_unionWithStarExpanded() {
        Capability c = Capability.parse(
                "{\"*\":[\"subscribe\"],\"chat:*\":[\"publish\",\"presence\"],\"chat:vip\":[\"history\"],\"other\":[\"*\"]}");
        assertThat(c.operationsFor("chat:vip")).containsExactly("history", "presence", "publish", "subscribe");
        assertThat(c.operationsFor("lobby")).containsExactly("subscribe");
        assertThat(c.operationsFor("other")).isEqualTo(Operations.KNOWN);
        assertThat(c.operationsFor("[meta]x")).isEmpty();
    }

    @Test
    void explain_grantingResource_namesIt() {
        Capability c = Capability.parse("{\"*\":[\"subscribe\"],\"chat:*\":[\"publish\"]}");
        assertThat(c.explain("chat:1", Operations.PUBLISH))
                .isEqualTo(new Capability.Explanation(true, "chat:*", List.of("publish")));
        assertThat(c.explain("chat:1", Operations.HISTORY))
                .isEqualTo(new Capability.Explanation(false, "*", List.of("subscribe")));
        assertThat(c.explain("[meta]x", Operations.HISTORY))
                .isEqualTo(new Capability.Explanation(false, null, List.of()));
    }

    // ---- intersection (docs/protocol.md §5.4; JST rest/capability.test.js; DOCS auth/capabilities.mdx) ----

    private static final String TEST_APP_KEY =
            "{\"channel0\":[\"publish\"],\"channel1\":[\"*\"],\"channel2\":[\"publish\",\"subscribe\"],"
                    + "\"channel3\":[\"subscribe\"],\"channel4\":[\"presence\",\"publish\",\"subscribe\"],\"channel5\":[\"presence\"],"
                    + "\"channel6\":[\"*\"]}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "common ops kept               | "
                        + "{\"channel2\":[\"publish\",\"subscribe\"]} | {\"channel2\":[\"presence\",\"subscribe\"]} | {\"channel2\":[\"subscribe\"]}",
                "requested star → key ops      | {\"channel2\":[\"publish\",\"subscribe\"]} | {\"channel2\":[\"*\"]} | {\"channel2\":[\"publish\",\"subscribe\"]}",
                "key star → request unchanged  | {\"channel6\":[\"*\"]} | {\"channel6\":[\"publish\",\"subscribe\"]} | {\"channel6\":[\"publish\",\"subscribe\"]}",
                "key * → specific request      | {\"*\":[\"subscribe\"]} | {\"cansubscribe\":[\"subscribe\"]} | {\"cansubscribe\":[\"subscribe\"]}",
                "key * → wildcard request      | {\"*\":[\"subscribe\"]} | {\"cansubscribe:*\":[\"subscribe\"]} | {\"cansubscribe:*\":[\"subscribe\"]}",
                "key ns:* → specific request   | {\"canpublish:*\":[\"publish\"],\"canpublish:andpresence\":[\"presence\",\"publish\"]} | {\"canpublish:check\":[\"publish\"]} | {\"canpublish:check\":[\"publish\"]}",
                "docs example                  | {\"your-namespace:*\":[\"publish\",\"subscribe\",\"presence\"],\"notifications\":[\"subscribe\",\"history\"],\"alerts\":[\"subscribe\"]} | {\"your-namespace:user-123\":[\"subscribe\"],\"notifications\":[\"*\"],\"private\":[\"publish\",\"subscribe\"]} | {\"notifications\":[\"history\",\"subscribe\"],\"your-namespace:user-123\":[\"subscribe\"]}",
                "test app key, request star    | " + TEST_APP_KEY
                        + " | {\"channel1\":[\"*\"]} | {\"channel1\":[\"*\"]}",
                "test app key, ops subset      | " + TEST_APP_KEY
                        + " | {\"channel4\":[\"presence\",\"history\"]} | {\"channel4\":[\"presence\"]}",
                "ALL key → request canonical   | {\"*\":[\"*\"]} | {\"b\":[\"subscribe\",\"publish\"],\"a:*\":[\"history\"]} | {\"a:*\":[\"history\"],\"b\":[\"publish\",\"subscribe\"]}",
                "both wildcards, more specific | {\"ns:*\":[\"publish\",\"subscribe\"]} | {\"ns:a:*\":[\"subscribe\",\"history\"]} | {\"ns:a:*\":[\"subscribe\"]}",
                "overlapping wildcards → meet  | {\"a:*:c\":[\"publish\"]} | {\"a:b:*\":[\"publish\"]} | {\"a:b:c\":[\"publish\"]}",
                "[*]* key → meta request       | {\"[*]*\":[\"*\"]} | {\"[meta]*\":[\"subscribe\"],\"x\":[\"publish\"]} | {\"[meta]*\":[\"subscribe\"],\"x\":[\"publish\"]}",
                "* key drops meta request      | {\"*\":[\"*\"]} | {\"[meta]*\":[\"subscribe\"],\"x\":[\"publish\"]} | {\"x\":[\"publish\"]}",
                "union over several pairs      | {\"*\":[\"subscribe\"],\"chat:*\":[\"publish\"]} | {\"chat:1\":[\"*\"]} | {\"chat:1\":[\"publish\",\"subscribe\"]}"
            })
    void intersect_documentedCases_expectedCanonical(String label, String key, String request, String expected) {
        Capability k = Capability.parse(key);
        Capability r = Capability.parse(request);
        assertThat(k.intersect(r).canonical()).isEqualTo(expected);
        assertThat(r.intersect(k).canonical()).as("symmetric").isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "disjoint resources | {\"channel0\":[\"publish\"]}  | {\"channel1\":[\"publish\"]}",
                "disjoint ops       | {\"channel0\":[\"publish\"]}  | {\"channel0\":[\"subscribe\"]}",
                "wildcard vs other  | {\"ns:*\":[\"publish\"]}      | {\"other:a\":[\"publish\"]}",
                "ns:* vs ns         | {\"ns:*\":[\"publish\"]}      | {\"ns\":[\"publish\"]}",
                "length mismatch    | {\"a:*:c\":[\"publish\"]}     | {\"a:b\":[\"publish\"]}",
                "namespaces         | {\"[queue]*\":[\"*\"]}        | {\"[meta]*\":[\"*\"]}"
            })
    void intersect_disjoint_empty(String label, String a, String b) {
        Capability result = Capability.parse(a).intersect(Capability.parse(b));
        assertThat(result.isEmpty()).isTrue();
        assertThat(result.canonical()).isEqualTo("{}");
    }

    @Test
    void intersect_allWithCapability_equalsThatCapability() {
        Capability x =
                Capability.parse("{\"room:*\":[\"presence\",\"subscribe\"],\"lobby\":[\"*\"],\"10\":[\"publish\"]}");
        assertThat(Capability.ALL.intersect(x)).isEqualTo(x);
        assertThat(x.intersect(Capability.ALL)).isEqualTo(x);
    }

    @Test
    void intersect_resultMatching_neverAllowsMoreThanEitherSide() {
        Capability a =
                Capability.parse("{\"a:*\":[\"publish\",\"subscribe\"],\"b:*:c\":[\"*\"],\"[meta]*\":[\"subscribe\"]}");
        Capability b = Capability.parse(
                "{\"a:x:*\":[\"subscribe\"],\"b:y:*\":[\"publish\"],\"*\":[\"history\"],\"[*]*\":[\"subscribe\"]}");
        Capability both = a.intersect(b);
        for (String ch : List.of("a:x", "a:x:1", "a:y", "b:y:c", "b:y:d", "b:z:c", "[meta]log", "q", "a")) {
            for (String op : List.of("publish", "subscribe", "history")) {
                assertThat(both.allows(ch, op)).as(ch + " " + op).isEqualTo(a.allows(ch, op) && b.allows(ch, op));
            }
        }
    }
}

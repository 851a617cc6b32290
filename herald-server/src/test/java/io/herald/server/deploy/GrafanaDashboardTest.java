package io.herald.server.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.auth.TokenParams;
import io.herald.auth.TokenRequests;
import io.herald.core.testing.Eventually;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.RawWs;
import io.herald.server.e2e.support.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/grafana/herald-dashboard.json} is a Grafana dashboard whose every PromQL expression names only series
 * a real Herald exports: the names are scraped from a started server's {@code GET /metrics} (with its metrics token)
 * after traffic that registers the meters created on first use (refusals by code, engine calls, REST routes, GC).
 */
class GrafanaDashboardTest {
    private static final Path FILE = Path.of("..", "deploy", "grafana", "herald-dashboard.json");
    private static final String METRICS_TOKEN = "grafanaTest-metrics-0123456789";
    private static final Duration WAIT = Duration.ofSeconds(10);

    /** PromQL words that are not series names: functions are followed by "(", these are not always. */
    private static final Set<String> KEYWORDS = Set.of(
            "by",
            "without",
            "on",
            "ignoring",
            "group_left",
            "group_right",
            "bool",
            "and",
            "or",
            "unless",
            "offset",
            "inf",
            "nan");

    private static final Pattern IDENT = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");

    @Test
    void dashboard_isGrafanaJson_withPanelsAndExpressions() throws IOException {
        JsonNode d = new ObjectMapper().readTree(FILE.toFile());

        assertThat(d.path("title").asText()).isEqualTo("Herald");
        assertThat(d.path("uid").asText()).isNotBlank();
        assertThat(d.path("schemaVersion").asInt()).isPositive();
        List<String> titles = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            titles.add(p.path("title").asText());
            if (!p.path("type").asText().equals("row")) {
                assertThat(p.path("targets")).as(p.path("title").asText()).isNotEmpty();
            }
        }
        assertThat(titles)
                .contains(
                        "Connections by state",
                        "Channels",
                        "Messages in / deliveries out per second",
                        "Publish latency",
                        "Tokens issued",
                        "Token requests refused",
                        "JVM heap");
        assertThat(expressions(d)).hasSizeGreaterThan(20);
    }

    @Test
    void everyExpression_namesOnlySeriesHeraldExports() throws IOException {
        JsonNode d = new ObjectMapper().readTree(FILE.toFile());
        try (TestServer server = TestServer.start("metrics: { token: " + METRICS_TOKEN + " }")) {
            traffic(server);
            System.gc(); // the GC pause timer is registered on the first collection
            Eventually.await(
                    "a GC pause recorded", WAIT, () -> exported(server).contains("jvm_gc_pause_seconds_count"));
            Set<String> exported = exported(server);

            Set<String> used = new TreeSet<>();
            for (String expr : expressions(d)) {
                Set<String> names = seriesNames(expr);
                assertThat(names).as("series named in %s", expr).isNotEmpty();
                for (String n : names) {
                    assertThat(exported)
                            .as("%s (in %s) is exported by Herald", n, expr)
                            .contains(n);
                }
                used.addAll(names);
            }
            assertThat(used)
                    .contains(
                            "herald_connections",
                            "herald_channels",
                            "herald_messages_in_total",
                            "herald_messages_out_total",
                            "herald_publish_latency_seconds_bucket",
                            "herald_tokens_issued_total",
                            "herald_token_requests_refused_total",
                            "jvm_memory_used_bytes");
        }
    }

    @Test
    void seriesNames_skipFunctionsLabelsRangesAndGrouping() {
        assertThat(
                        seriesNames(
                                "histogram_quantile(0.99, sum by (le, operation) "
                                        + "(rate(herald_engine_calls_seconds_bucket{instance=~\"$instance\", x=\"a b\"}[$__rate_interval])))"))
                .containsExactly("herald_engine_calls_seconds_bucket");
        assertThat(seriesNames("sum(a_total) / ignoring(code) b_total offset 5m > bool 0"))
                .containsExactly("a_total", "b_total");
    }

    /** Grafana panels' and template variables' queries. */
    private static List<String> expressions(JsonNode d) {
        List<String> out = new ArrayList<>();
        for (JsonNode p : d.path("panels")) {
            for (JsonNode t : p.path("targets")) {
                out.add(t.path("expr").asText());
            }
        }
        for (JsonNode v : d.path("templating").path("list")) {
            if (v.path("type").asText().equals("query")) {
                String q = v.path("query").isObject()
                        ? v.path("query").path("query").asText()
                        : v.path("query").asText();
                out.add(q.replaceAll("^label_values\\(([^,)]+).*$", "$1"));
            }
        }
        return out;
    }

    /** The series names a PromQL expression reads (without label matchers, ranges, strings and grouping labels). */
    static Set<String> seriesNames(String expr) {
        String e = expr.replaceAll("\"(\\\\.|[^\"\\\\])*\"", "\"\"")
                .replaceAll("\\{[^}]*}", " ")
                .replaceAll("\\[[^]]*]", " ")
                .replaceAll("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)", " ")
                .replaceAll("\\boffset\\s+\\S+", " ");
        Set<String> out = new LinkedHashSet<>();
        Matcher m = IDENT.matcher(e);
        while (m.find()) {
            String word = m.group();
            int after = m.end();
            while (after < e.length() && Character.isWhitespace(e.charAt(after))) {
                after++;
            }
            boolean function = after < e.length() && e.charAt(after) == '(';
            boolean number = m.start() > 0 && Character.isDigit(e.charAt(m.start() - 1));
            if (!function && !number && !KEYWORDS.contains(word.toLowerCase(java.util.Locale.ROOT))) {
                out.add(word);
            }
        }
        return out;
    }

    /** Series names in the server's scrape. */
    private static Set<String> exported(TestServer server) {
        Http.Response r = Http.get(server.uri("/metrics"), "Authorization", "Bearer " + METRICS_TOKEN);
        assertThat(r.status()).isEqualTo(200);
        Set<String> names = new TreeSet<>();
        for (String line : r.text().split("\n")) {
            if (!line.isBlank() && !line.startsWith("#")) {
                Matcher m = IDENT.matcher(line);
                if (m.lookingAt()) {
                    names.add(m.group());
                }
            }
        }
        return names;
    }

    /** Enough to register every meter made on first use: a realtime publish, refusals, REST requests. */
    private static void traffic(TestServer server) {
        try (RawWs ws = RawWs.open(server, "key=" + RawWs.enc(server.full.keyString()) + "&format=json")) {
            ws.awaitAction(4, WAIT); // CONNECTED
            ws.sendText(
                    "{\"action\":15,\"msgSerial\":0,\"channel\":\"grafana\",\"messages\":[{\"name\":\"n\",\"data\":\"d\"}]}");
            ws.awaitAction(1, WAIT); // ACK
        }
        try (RawWs ws = RawWs.open(server, "key=" + RawWs.enc(server.limited.keyString()) + "&format=json")) {
            ws.awaitAction(4, WAIT);
            ws.sendText( // no publish capability: NACK
                    "{\"action\":15,\"msgSerial\":0,\"channel\":\"chat:x\",\"messages\":[{\"name\":\"n\"}]}");
            ws.awaitAction(2, WAIT); // NACK
        }
        try (RawWs refused =
                RawWs.open(server, "key=" + RawWs.enc(server.full.keyName() + ":wrong") + "&format=json")) {
            refused.awaitClosed(WAIT);
        }
        Http.postJson(
                server.uri("/channels/grafana/messages"),
                "{\"name\":\"n\",\"data\":\"d\"}",
                "Authorization",
                Http.basic(server.full));
        String forged = TokenRequests.create(server.full, new TokenParams(), Clock.systemUTC())
                .toJson()
                .replaceFirst("\"mac\":\"[^\"]+\"", "\"mac\":\"Zm9yZ2Vk\"");
        Http.postJson(server.uri("/keys/" + server.full.keyName() + "/requestToken"), forged);
        String good = TokenRequests.create(server.full, new TokenParams(), Clock.systemUTC())
                .toJson();
        Http.postJson(server.uri("/keys/" + server.full.keyName() + "/requestToken"), good);
    }
}

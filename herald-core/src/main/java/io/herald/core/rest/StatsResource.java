package io.herald.core.rest;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.Operations;
import io.herald.core.engine.StatsStore;
import io.herald.core.internal.AblyException;
import io.herald.core.observe.AppStats;
import io.herald.core.security.AuthContext;
import io.herald.core.security.Authenticator;
import io.herald.protocol.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * {@code GET /stats} (SPEC RSC6, TS12; docs/protocol.md §10.6): the app's statistics in minute, hour, day or month
 * intervals, rolled up on read from the engine's minute buckets, in the flat {@code entries} form of ably-js 2
 * ({@code messages.inbound.realtime.messages.count}, …), paged with {@code Link} headers. Also the sandbox's
 * {@code POST /stats}, which stores the fixtures of the official test suites in the same buckets.
 */
public final class StatsResource {
    static final String SCHEMA = "https://schemas.ably.com/json/app-stats-0.0.5.json";
    /** Sandbox fixtures are dated in the past: they are kept this long after they were posted, whatever their date. */
    private static final Duration FIXTURE_KEEP = Duration.ofDays(7);

    private final Authenticator authenticator;
    private final StatsStore store;
    private final Supplier<CompletionStage<Void>> flushLocal;
    private final Clock clock;
    private final AppStats counters;

    /** @param flushLocal merges this node's counters not yet merged, so a read sees this node's latest traffic */
    public StatsResource(
            Authenticator authenticator,
            StatsStore store,
            AppStats counters,
            Supplier<CompletionStage<Void>> flushLocal,
            Clock clock) {
        this.authenticator = authenticator;
        this.counters = counters;
        this.store = store;
        this.flushLocal = flushLocal;
        this.clock = clock;
    }

    /** This node's counters. */
    AppStats counters() {
        return counters;
    }

    CompletionStage<RestResponse> get(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        if (!auth.capability().allows("[*]*", Operations.STATS)
                && !auth.capability().allows("*", Operations.STATS)) {
            throw new AblyException(
                    ErrorCode.OPERATION_NOT_PERMITTED,
                    "Operation not permitted: stats needs the stats capability on *, the credentials have "
                            + auth.capability().canonical());
        }
        long now = clock.millis();
        StatsQuery q = StatsQuery.parse(call.request.query(), now);
        long fromMinute = q.start();
        long toMinute = q.unit().next(q.end()) - 60_000;
        return flushLocal
                .get()
                .exceptionally(t -> null) // a failed merge must not hide what is stored
                .thenCompose(v -> store.read(auth.appId(), fromMinute, toMinute))
                .thenApply(minutes -> page(call, auth.appId(), q, minutes, now));
    }

    private static RestResponse page(
            RestCall call, String appId, StatsQuery q, NavigableMap<Long, Map<String, Long>> minutes, long now) {
        List<Map.Entry<Long, Rollup>> intervals =
                new ArrayList<>(rollup(q.unit(), minutes).entrySet());
        if (!q.forwards()) {
            java.util.Collections.reverse(intervals);
        }
        boolean more = intervals.size() > q.limit();
        List<Map.Entry<Long, Rollup>> items = intervals.subList(0, Math.min(q.limit(), intervals.size()));
        List<Map<String, Object>> body = new ArrayList<>();
        long currentMinute = StatsQuery.Unit.MINUTE.truncate(now);
        boolean legacy = BatchResource.legacyVersion(call.request.headers().get("x-ably-version"));
        for (Map.Entry<Long, Rollup> e : items) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("intervalId", q.unit().id(e.getKey()));
            s.put("unit", q.unit().wireName());
            s.put("schema", SCHEMA);
            s.put("appId", appId);
            if (q.unit().next(e.getKey()) > now) {
                s.put("inProgress", StatsQuery.Unit.MINUTE.id(currentMinute));
            }
            Map<String, Long> entries = entries(e.getValue().values());
            if (legacy) {
                LegacyStats.nest(entries, s);
            } else {
                s.put("entries", entries);
            }
            body.add(s);
        }
        RestResponse r = call.ok(200, body);
        r.header("Link", link(q.asked(), "first"));
        Map<String, String> current = new LinkedHashMap<>(q.asked());
        String cursor = call.param("cursor");
        if (cursor != null) {
            current.put("cursor", cursor);
        }
        r.header("Link", link(current, "current"));
        if (more && !items.isEmpty()) {
            long last = items.get(items.size() - 1).getKey();
            Map<String, String> next = new LinkedHashMap<>(q.asked());
            next.put("cursor", String.valueOf(q.forwards() ? q.unit().next(last) : last - 1));
            r.header("Link", link(next, "next"));
        }
        return r;
    }

    private static String link(Map<String, String> params, String rel) {
        StringBuilder sb = new StringBuilder("<./stats?");
        boolean first = true;
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (!first) {
                sb.append('&');
            }
            first = false;
            sb.append(enc(e.getKey())).append('=').append(enc(e.getValue()));
        }
        return sb.append(">; rel=\"").append(rel).append('"').toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** One interval being rolled up from its minutes: sums add up, peaks take the max, minimums the min, means average. */
    static final class Rollup {
        private final Map<String, Long> sums = new HashMap<>();
        private final Map<String, long[]> means = new HashMap<>();

        void add(Map<String, Long> minute) {
            minute.forEach((k, v) -> {
                if (k.endsWith(".peak")) {
                    sums.merge(k, v, Math::max);
                } else if (k.endsWith(".min")) {
                    sums.merge(k, v, Math::min);
                } else if (k.endsWith(".mean")) {
                    long[] m = means.computeIfAbsent(k, x -> new long[2]);
                    m[0] += v;
                    m[1]++;
                } else {
                    sums.merge(k, v, Long::sum);
                }
            });
        }

        Map<String, Long> values() {
            Map<String, Long> out = new HashMap<>(sums);
            means.forEach((k, m) -> out.put(k, Math.round((double) m[0] / m[1])));
            return out;
        }
    }

    static NavigableMap<Long, Rollup> rollup(StatsQuery.Unit unit, NavigableMap<Long, Map<String, Long>> minutes) {
        NavigableMap<Long, Rollup> out = new TreeMap<>();
        minutes.forEach((minute, values) -> {
            if (!values.isEmpty()) {
                out.computeIfAbsent(unit.truncate(minute), k -> new Rollup()).add(values);
            }
        });
        return out;
    }

    private static final String[] DIRECTIONS = {"inbound", "outbound"};
    private static final String[] TRANSPORTS = {"realtime", "rest"};
    private static final String[] TYPES = {"messages", "presence"};
    private static final String[] FIELDS = {"count", "data"};

    /**
     * The stats entries of an interval from its stored leaves: the totals Ably derives ({@code all} over transports,
     * over message types, over directions; {@code connections.all} over plain and TLS; {@code apiRequests.all} over
     * token and other requests). Sparse, as Ably's: zero values are left out.
     */
    static Map<String, Long> entries(Map<String, Long> leaves) {
        Map<String, Long> e = new TreeMap<>();
        leaves.forEach((k, v) -> add(e, k, v));
        for (String f : FIELDS) {
            for (String dir : DIRECTIONS) {
                for (String t : TRANSPORTS) {
                    for (String type : TYPES) {
                        long v = get(leaves, "messages." + dir + "." + t + "." + type + "." + f);
                        add(e, "messages." + dir + "." + t + ".all." + f, v);
                        add(e, "messages." + dir + ".all." + type + "." + f, v);
                        add(e, "messages." + dir + ".all.all." + f, v);
                        add(e, "messages.all." + type + "." + f, v);
                        add(e, "messages.all.all." + f, v);
                    }
                }
            }
            for (String type : TYPES) {
                add(e, "messages.persisted.all." + f, get(leaves, "messages.persisted." + type + "." + f));
            }
        }
        for (String f : new String[] {"peak", "min", "mean", "opened", "refused"}) {
            add(e, "connections.all." + f, get(leaves, "connections.plain." + f) + get(leaves, "connections.tls." + f));
        }
        for (String f : new String[] {"succeeded", "failed", "refused"}) {
            add(e, "apiRequests.all." + f, get(leaves, "apiRequests.other." + f));
            add(e, "apiRequests.all." + f, get(leaves, "apiRequests.tokenRequests." + f));
        }
        e.values().removeIf(v -> v == 0);
        return e;
    }

    private static long get(Map<String, Long> m, String k) {
        Long v = m.get(k);
        return v == null ? 0 : v;
    }

    private static void add(Map<String, Long> m, String k, long v) {
        if (v != 0) {
            m.merge(k, v, Long::sum);
        }
    }

    /**
     * Sandbox {@code POST /stats}: fixtures in the form the official test suites post, one per minute
     * ({@code intervalId}, and {@code inbound}/{@code outbound}/{@code persisted} message counts, {@code connections},
     * {@code channels}, {@code apiRequests}, {@code tokenRequests}; or ready-made {@code entries}), stored for the
     * caller's app as if they had been counted.
     */
    CompletionStage<RestResponse> postFixtures(RestCall call) {
        AuthContext auth = call.authenticate(authenticator);
        JsonNode body = call.bodyTree();
        List<JsonNode> fixtures = new ArrayList<>();
        if (body.isArray()) {
            body.forEach(fixtures::add);
        } else if (body.isObject()) {
            fixtures.add(body);
        } else {
            throw new AblyException(ErrorCode.INVALID_REQUEST_BODY, "Stats fixtures must be an object or an array");
        }
        List<CompletableFuture<Void>> merges = new ArrayList<>();
        for (JsonNode f : fixtures) {
            JsonNode id = f.get("intervalId");
            if (id == null || !id.isTextual()) {
                throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "A stats fixture needs an intervalId");
            }
            Long at = StatsQuery.time("intervalId", id.asText(), false);
            long minute = StatsQuery.Unit.MINUTE.truncate(at == null ? 0 : at);
            Map<String, Long> sums = new HashMap<>();
            Map<String, Long> gauges = new HashMap<>();
            f.properties().forEach(p -> {
                String k = p.getKey();
                switch (k) {
                    case "inbound", "outbound", "persisted" -> flatten("messages." + k, p.getValue(), sums, gauges);
                    case "connections", "channels" -> flatten(k, p.getValue(), sums, gauges);
                    case "apiRequests" -> flatten("apiRequests.other", p.getValue(), sums, gauges);
                    case "tokenRequests" -> flatten("apiRequests.tokenRequests", p.getValue(), sums, gauges);
                    case "entries" -> flatten("", p.getValue(), sums, gauges);
                    default -> {}
                }
            });
            Duration keep = FIXTURE_KEEP.plusMillis(Math.max(0, clock.millis() - minute));
            merges.add(store.merge(auth.appId(), minute, sums, gauges, keep).toCompletableFuture());
        }
        return CompletableFuture.allOf(merges.toArray(CompletableFuture[]::new)).thenApply(v -> call.ok(201, Map.of()));
    }

    private static void flatten(String prefix, JsonNode n, Map<String, Long> sums, Map<String, Long> gauges) {
        if (n.isObject()) {
            n.properties()
                    .forEach(p -> flatten(
                            prefix.isEmpty() ? p.getKey() : prefix + "." + p.getKey(), p.getValue(), sums, gauges));
        } else if (n.isNumber()) {
            boolean gauge = prefix.endsWith(".peak") || prefix.endsWith(".min") || prefix.endsWith(".mean");
            (gauge ? gauges : sums).merge(prefix, n.asLong(), Long::sum);
        }
    }
}

package io.herald.core.history;

import io.herald.core.engine.ChannelSerial;
import io.herald.core.engine.HistoryItem;
import io.herald.core.engine.HistoryPage;
import io.herald.core.engine.HistoryQuery;
import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses history parameters (SPEC RSL2b, RSP4b) and builds the {@code Link} headers of a page (docs/protocol.md §9.2): one header per
 * relation, {@code <./messages?…>; rel="next"}, with every value percent-encoded so no {@code ,} or {@code :} appears.
 */
public final class HistoryParams {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private HistoryParams() {}

    public static HistoryQuery parse(HistoryQuery.Kind kind, Map<String, String> q) {
        Long start = time(q, "start");
        Long end = time(q, "end");
        if (start != null && end != null && start > end) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE, "start (" + start + ") must not be after end (" + end + ")");
        }
        int limit = DEFAULT_LIMIT;
        String l = q.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l.trim());
            } catch (NumberFormatException e) {
                throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "limit must be a number, got '" + l + "'");
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new AblyException(
                        ErrorCode.INVALID_PARAMETER_VALUE,
                        "limit must be between 1 and " + MAX_LIMIT + ", got " + limit);
            }
        }
        String dir = q.getOrDefault("direction", "backwards");
        boolean forwards;
        if (dir.equals("forwards")) {
            forwards = true;
        } else if (dir.equals("backwards")) {
            forwards = false;
        } else {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE, "direction must be forwards or backwards, got '" + dir + "'");
        }
        String fromSerial = q.containsKey("from_serial") ? q.get("from_serial") : q.get("fromSerial");
        ChannelSerial until = null;
        if (fromSerial != null) {
            until = ChannelSerial.parse(fromSerial);
            if (until == null) {
                throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid from_serial '" + fromSerial + "'");
            }
        }
        HistoryQuery.Cursor cursor = null;
        String c = q.get("cursor");
        if (c != null) {
            cursor = HistoryQuery.Cursor.parse(c);
            if (cursor == null) {
                throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "Invalid cursor '" + c + "'");
            }
        }
        return new HistoryQuery(kind, start, end, limit, forwards, until, cursor);
    }

    private static @Nullable Long time(Map<String, String> q, String name) {
        String v = q.get(name);
        if (v == null || v.isEmpty()) {
            return null;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE, name + " must be a time in ms since the epoch, got '" + v + "'");
        }
    }

    /** The Link header values for a page: {@code first}, {@code current} and, when there is more, {@code next}. */
    public static List<String> links(String resource, HistoryQuery q, HistoryPage page) {
        List<String> links = new ArrayList<>();
        Map<String, String> base = new LinkedHashMap<>();
        if (q.start() != null) {
            base.put("start", q.start().toString());
        }
        if (q.end() != null) {
            base.put("end", q.end().toString());
        }
        base.put("limit", String.valueOf(q.limit()));
        base.put("direction", q.forwards() ? "forwards" : "backwards");
        if (q.until() != null) {
            base.put("from_serial", q.until().toString());
        }
        links.add(link(resource, base, "first"));
        Map<String, String> current = new LinkedHashMap<>(base);
        if (q.cursor() != null) {
            current.put("cursor", q.cursor().toString());
        }
        links.add(link(resource, current, "current"));
        if (page.hasMore() && !page.items().isEmpty()) {
            HistoryItem last = page.items().get(page.items().size() - 1);
            Map<String, String> next = new LinkedHashMap<>(base);
            next.put("cursor", last.cursor().toString());
            links.add(link(resource, next, "next"));
        }
        return links;
    }

    private static String link(String resource, Map<String, String> params, String rel) {
        StringBuilder sb = new StringBuilder("<./").append(resource).append('?');
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
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

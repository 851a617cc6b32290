package io.herald.core.rest;

import io.herald.core.internal.AblyException;
import io.herald.protocol.ErrorCode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The parameters of {@code GET /stats} (SPEC RSC6b) and the interval arithmetic of stats units (docs/protocol.md
 * §10.6): {@code start} and {@code end} as ms since the epoch or as an interval id ({@code yyyy-MM-dd:HH:mm},
 * {@code yyyy-MM-dd:HH}, {@code yyyy-MM-dd}, {@code yyyy-MM}, UTC), {@code limit} 1 to 1000 (100), {@code direction}
 * ({@code backwards}), {@code unit} ({@code minute}; {@code by} is its older name), and the {@code cursor} of a next
 * page's link. Bad values are 40003, never a 500.
 *
 * @param start the start of the first interval asked for (ms, already truncated to the unit)
 * @param end   the start of the last interval asked for (ms, truncated to the unit)
 */
record StatsQuery(Unit unit, long start, long end, int limit, boolean forwards, Map<String, String> asked) {

    static final int DEFAULT_LIMIT = 100;
    static final int MAX_LIMIT = 1000;

    /** A stats unit: its interval ids and how its intervals start and follow each other, in UTC. */
    enum Unit {
        MINUTE("yyyy-MM-dd:HH:mm"),
        HOUR("yyyy-MM-dd:HH"),
        DAY("yyyy-MM-dd"),
        MONTH("yyyy-MM");

        private final DateTimeFormatter format;

        Unit(String pattern) {
            this.format = DateTimeFormatter.ofPattern(pattern, Locale.ROOT).withZone(ZoneOffset.UTC);
        }

        String id(long start) {
            return format.format(Instant.ofEpochMilli(start));
        }

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }

        long truncate(long ms) {
            ZonedDateTime t = Instant.ofEpochMilli(ms).atZone(ZoneOffset.UTC);
            ZonedDateTime s = switch (this) {
                case MINUTE -> t.withSecond(0).withNano(0);
                case HOUR -> t.withMinute(0).withSecond(0).withNano(0);
                case DAY -> t.toLocalDate().atStartOfDay(ZoneOffset.UTC);
                case MONTH -> t.toLocalDate().withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC);
            };
            return s.toInstant().toEpochMilli();
        }

        long next(long start) {
            ZonedDateTime t = Instant.ofEpochMilli(start).atZone(ZoneOffset.UTC);
            ZonedDateTime n = switch (this) {
                case MINUTE -> t.plusMinutes(1);
                case HOUR -> t.plusHours(1);
                case DAY -> t.plusDays(1);
                case MONTH -> t.plusMonths(1);
            };
            return n.toInstant().toEpochMilli();
        }

        static Unit parse(String s) {
            for (Unit u : values()) {
                if (u.wireName().equals(s)) {
                    return u;
                }
            }
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE, "unit must be minute, hour, day or month, got '" + s + "'");
        }
    }

    private static final Pattern INTERVAL_ID =
            Pattern.compile("(\\d{4})-(\\d{2})(?:-(\\d{2})(?::(\\d{2})(?::(\\d{2}))?)?)?");

    static StatsQuery parse(Map<String, String> q, long now) {
        String u = q.get("unit") != null ? q.get("unit") : q.get("by");
        Unit unit = u == null ? Unit.MINUTE : Unit.parse(u);
        int limit = DEFAULT_LIMIT;
        String l = q.get("limit");
        if (l != null) {
            try {
                limit = Integer.parseInt(l);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 1 || limit > MAX_LIMIT) {
                throw new AblyException(
                        ErrorCode.INVALID_PARAMETER_VALUE,
                        "limit must be an integer from 1 to " + MAX_LIMIT + ", got '" + l + "'");
            }
        }
        String d = q.get("direction");
        if (d != null && !d.equals("forwards") && !d.equals("backwards")) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE, "direction must be forwards or backwards, got '" + d + "'");
        }
        Long startAt = time("start", q.get("start"), false);
        Long endAt = time("end", q.get("end"), true);
        // the next page of a Link: where it starts (forwards) or ends (backwards), within the original range
        Long cursor = time("cursor", q.get("cursor"), false);
        if (cursor != null) {
            if ("forwards".equals(d)) {
                startAt = startAt == null ? cursor : Math.max(startAt, cursor);
            } else {
                endAt = endAt == null ? cursor : Math.min(endAt, cursor);
            }
        }
        long endMs = endAt == null ? now : endAt;
        long startMs = startAt == null ? 0 : startAt;
        if (startMs > endMs && cursor == null) {
            throw new AblyException(ErrorCode.INVALID_PARAMETER_VALUE, "start must not be after end");
        }
        Map<String, String> asked = new LinkedHashMap<>();
        for (String k : new String[] {"start", "end", "limit", "direction", "unit"}) {
            String v = k.equals("unit") ? u : q.get(k);
            if (v != null) {
                asked.put(k, v);
            }
        }
        return new StatsQuery(unit, unit.truncate(startMs), unit.truncate(endMs), limit, "forwards".equals(d), asked);
    }

    /** ms since the epoch, or an interval id: its first ms, or its last one for an end. */
    static @Nullable Long time(String name, @Nullable String v, boolean end) {
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (v.chars().allMatch(Character::isDigit) && v.length() <= 16) {
            return Long.parseLong(v);
        }
        Matcher m = INTERVAL_ID.matcher(v);
        if (!m.matches()) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE,
                    name + " must be ms since the epoch or an interval id such as 2024-01-31:23:59, got '"
                            + RestApi.truncate(v, 40) + "'");
        }
        Unit unit;
        LocalDateTime t;
        try {
            int year = Integer.parseInt(m.group(1));
            int month = Integer.parseInt(m.group(2));
            int day = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
            int hour = m.group(4) == null ? 0 : Integer.parseInt(m.group(4));
            int minute = m.group(5) == null ? 0 : Integer.parseInt(m.group(5));
            unit = m.group(5) != null
                    ? Unit.MINUTE
                    : m.group(4) != null ? Unit.HOUR : m.group(3) != null ? Unit.DAY : Unit.MONTH;
            t = LocalDateTime.of(year, month, day, hour, minute);
        } catch (java.time.DateTimeException e) {
            throw new AblyException(
                    ErrorCode.INVALID_PARAMETER_VALUE, name + " is not a valid interval id: '" + v + "'");
        }
        long first = t.toInstant(ZoneOffset.UTC).toEpochMilli();
        return end ? unit.next(first) - 1 : first;
    }
}

package io.herald.core.hub;

import io.herald.core.engine.OccupancyCounts;
import io.herald.protocol.Flags;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A channel's occupancy metrics as Ably names them (SPEC CHM2; docs/protocol.md §6.4): how local subscribers count, the
 * metrics map of ChannelDetails and of {@code [meta]occupancy} events, and the {@code occupancy} channel param.
 */
public final class OccupancyMetrics {
    /** The categories, in the order Ably lists them. */
    public static final List<String> CATEGORIES = List.of(
            "connections",
            "publishers",
            "subscribers",
            "presenceConnections",
            "presenceMembers",
            "presenceSubscribers",
            "objectPublishers",
            "objectSubscribers");

    /** The event name of occupancy messages. */
    public static final String EVENT_NAME = "[meta]occupancy";

    private OccupancyMetrics() {}

    /** Adds one subscriber with these channel modes to {@code counts}. */
    public static OccupancyCounts count(OccupancyCounts counts, int modes) {
        return counts.plus(new OccupancyCounts(
                1,
                has(modes, Flags.MODE_PUBLISH),
                has(modes, Flags.MODE_SUBSCRIBE),
                has(modes, Flags.MODE_PRESENCE),
                has(modes, Flags.MODE_PRESENCE_SUBSCRIBE),
                has(modes, Flags.MODE_OBJECT_PUBLISH),
                has(modes, Flags.MODE_OBJECT_SUBSCRIBE)));
    }

    private static int has(int modes, int mode) {
        return (modes & mode) == mode ? 1 : 0;
    }

    /** The counts of a hub's subscribers of one channel (attachments only). */
    public static OccupancyCounts local(Subscriber[] subscribers) {
        OccupancyCounts c = OccupancyCounts.ZERO;
        for (Subscriber s : subscribers) {
            int modes = s.occupancyModes();
            if (modes >= 0) {
                c = count(c, modes);
            }
        }
        return c;
    }

    /** The metrics map (every category, Ably's order). */
    public static Map<String, Integer> of(OccupancyCounts c, int presenceMembers) {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("connections", c.connections());
        m.put("publishers", c.publishers());
        m.put("subscribers", c.subscribers());
        m.put("presenceConnections", c.presenceConnections());
        m.put("presenceMembers", presenceMembers);
        m.put("presenceSubscribers", c.presenceSubscribers());
        m.put("objectPublishers", c.objectPublishers());
        m.put("objectSubscribers", c.objectSubscribers());
        return m;
    }

    /**
     * Whether {@code param} is a valid {@code occupancy} channel param: {@code metrics} for every category, or
     * {@code metrics.<category>} for one.
     */
    public static boolean validParam(String param) {
        return category(param) != null;
    }

    /** The one category a param asks for, {@code ""} for all of them, {@code null} for an invalid param. */
    static @Nullable String category(String param) {
        if (param.equals("metrics")) {
            return "";
        }
        if (param.startsWith("metrics.") && CATEGORIES.contains(param.substring("metrics.".length()))) {
            return param.substring("metrics.".length());
        }
        return null;
    }

    /**
     * A ChannelDetails (SPEC CHD2, CHS2, CHO2): the channel as both "channelId" and "name", "region" for a lifecycle
     * event about one node, "status.isActive" and "status.occupancy.metrics".
     */
    public static Map<String, Object> channelDetails(
            String channel, @Nullable String region, boolean isActive, OccupancyCounts counts, int members) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("isActive", isActive);
        status.put("occupancy", Map.of("metrics", of(counts, members)));
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("channelId", channel);
        d.put("name", channel);
        if (region != null) {
            d.put("region", region);
        }
        d.put("status", status);
        return d;
    }

    /** The event data for a subscriber with this param: {@code {"metrics":{...}}} as a JSON string. */
    public static String eventData(Map<String, Integer> metrics, String param) {
        String only = category(param);
        StringBuilder sb = new StringBuilder("{\"metrics\":{");
        boolean first = true;
        for (Map.Entry<String, Integer> e : metrics.entrySet()) {
            if (only != null && !only.isEmpty() && !only.equals(e.getKey())) {
                continue;
            }
            sb.append(first ? "" : ",")
                    .append('"')
                    .append(e.getKey())
                    .append("\":")
                    .append(e.getValue());
            first = false;
        }
        return sb.append("}}").toString();
    }

    /**
     * Whether going from {@code before} to {@code after} changes a mode in Ably's sense: some category goes from none
     * to some or from some to none. Ably sends such changes at once and debounces the others.
     */
    public static boolean modeChange(@Nullable Map<String, Integer> before, Map<String, Integer> after) {
        if (before == null) {
            return true;
        }
        for (Map.Entry<String, Integer> e : after.entrySet()) {
            int was = before.getOrDefault(e.getKey(), 0);
            if ((was == 0) != (e.getValue() == 0)) {
                return true;
            }
        }
        return false;
    }
}

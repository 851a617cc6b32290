package io.herald.core.engine;

/**
 * How many connections are attached to a channel, in total and by what their channel modes allow (SPEC CHM2): on one
 * node, or summed over every node. Presence members are not counted here: the presence set already lives in the
 * engine ({@link PresenceStore}).
 *
 * @param connections         attached connections
 * @param publishers          of those, with the PUBLISH mode
 * @param subscribers         with SUBSCRIBE
 * @param presenceConnections with PRESENCE (may enter)
 * @param presenceSubscribers with PRESENCE_SUBSCRIBE
 * @param objectPublishers    with OBJECT_PUBLISH
 * @param objectSubscribers   with OBJECT_SUBSCRIBE
 */
public record OccupancyCounts(
        int connections,
        int publishers,
        int subscribers,
        int presenceConnections,
        int presenceSubscribers,
        int objectPublishers,
        int objectSubscribers) {

    public static final OccupancyCounts ZERO = new OccupancyCounts(0, 0, 0, 0, 0, 0, 0);

    public OccupancyCounts plus(OccupancyCounts o) {
        return new OccupancyCounts(
                connections + o.connections,
                publishers + o.publishers,
                subscribers + o.subscribers,
                presenceConnections + o.presenceConnections,
                presenceSubscribers + o.presenceSubscribers,
                objectPublishers + o.objectPublishers,
                objectSubscribers + o.objectSubscribers);
    }

    public boolean isZero() {
        return equals(ZERO);
    }

    /** The counts as seven comma-separated numbers, in the order of the components (how the Redis engine keeps them). */
    public String encode() {
        return connections + "," + publishers + "," + subscribers + "," + presenceConnections + ","
                + presenceSubscribers + "," + objectPublishers + "," + objectSubscribers;
    }

    /** The counts {@link #encode()} wrote; {@link #ZERO} for anything else. */
    public static OccupancyCounts decode(String s) {
        String[] p = s.split(",", -1);
        if (p.length != 7) {
            return ZERO;
        }
        try {
            return new OccupancyCounts(
                    Integer.parseInt(p[0]),
                    Integer.parseInt(p[1]),
                    Integer.parseInt(p[2]),
                    Integer.parseInt(p[3]),
                    Integer.parseInt(p[4]),
                    Integer.parseInt(p[5]),
                    Integer.parseInt(p[6]));
        } catch (NumberFormatException e) {
            return ZERO;
        }
    }
}

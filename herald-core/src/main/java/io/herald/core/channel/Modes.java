package io.herald.core.channel;

import io.herald.auth.Operations;
import io.herald.protocol.Flags;
import java.util.Set;

/**
 * Channel modes from a capability (docs/protocol.md §5.5): the modes a client gets are the ones it asked for (or the
 * default set) that the capability's operations on the channel allow.
 */
public final class Modes {
    private Modes() {}

    /** Every mode the operations allow. */
    public static int allowed(Set<String> operations) {
        int m = 0;
        if (operations.contains(Operations.SUBSCRIBE)) {
            m |= Flags.MODE_SUBSCRIBE | Flags.MODE_PRESENCE_SUBSCRIBE;
        }
        if (operations.contains(Operations.PUBLISH)) {
            m |= Flags.MODE_PUBLISH;
        }
        if (operations.contains(Operations.PRESENCE)) {
            m |= Flags.MODE_PRESENCE;
        }
        if (operations.contains(Operations.OBJECT_SUBSCRIBE)) {
            m |= Flags.MODE_OBJECT_SUBSCRIBE;
        }
        if (operations.contains(Operations.OBJECT_PUBLISH)) {
            m |= Flags.MODE_OBJECT_PUBLISH;
        }
        if (operations.contains(Operations.ANNOTATION_PUBLISH)) {
            m |= Flags.MODE_ANNOTATION_PUBLISH;
        }
        if (operations.contains(Operations.ANNOTATION_SUBSCRIBE)) {
            m |= Flags.MODE_ANNOTATION_SUBSCRIBE;
        }
        return m;
    }

    /** Channel params the server acts on and echoes in ATTACHED; others are dropped (RTL4k1). */
    private static final java.util.Set<String> PARAMS = java.util.Set.of("rewind", "delta", "modes", "occupancy");

    private static final String[] MODE_NAMES = {
        "presence",
        "publish",
        "subscribe",
        "presence_subscribe",
        "annotation_publish",
        "annotation_subscribe",
        "object_subscribe",
        "object_publish"
    };
    private static final int[] MODE_BITS = {
        Flags.MODE_PRESENCE,
        Flags.MODE_PUBLISH,
        Flags.MODE_SUBSCRIBE,
        Flags.MODE_PRESENCE_SUBSCRIBE,
        Flags.MODE_ANNOTATION_PUBLISH,
        Flags.MODE_ANNOTATION_SUBSCRIBE,
        Flags.MODE_OBJECT_SUBSCRIBE,
        Flags.MODE_OBJECT_PUBLISH
    };

    /** The params we recognise, in the order given (an immutable empty map when there are none). */
    public static java.util.Map<String, String> recognisedParams(java.util.Map<String, String> params) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        params.forEach((k, v) -> {
            if (PARAMS.contains(k)) {
                out.put(k, v);
            }
        });
        // most attaches carry none, and an attachment keeps its params for as long as it lives
        return out.isEmpty() ? java.util.Map.of() : out;
    }

    /** The {@code modes} channel param ({@code subscribe,presence}) as mode flags; 40000 on an unknown mode. */
    public static int parse(String modes) {
        int m = 0;
        for (String part : modes.split(",", -1)) {
            String p = part.trim().toLowerCase(java.util.Locale.ROOT);
            if (p.isEmpty()) {
                continue;
            }
            int bit = 0;
            for (int i = 0; i < MODE_NAMES.length; i++) {
                if (MODE_NAMES[i].equals(p)) {
                    bit = MODE_BITS[i];
                }
            }
            if (bit == 0) {
                throw new io.herald.core.internal.AblyException(
                        io.herald.protocol.ErrorCode.BAD_REQUEST,
                        "Unknown channel mode '" + part + "' in the modes param");
            }
            m |= bit;
        }
        return m;
    }

    /** The modes granted for an ATTACH carrying {@code requestedFlags}. */
    public static int granted(int requestedFlags, Set<String> operations) {
        int requested = requestedFlags & Flags.MODE_ALL;
        if (requested == 0) {
            requested = Flags.MODE_DEFAULT;
        }
        return requested & allowed(operations);
    }
}

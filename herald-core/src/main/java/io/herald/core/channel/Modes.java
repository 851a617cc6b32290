package io.herald.core.channel;

import io.herald.auth.Operations;
import io.herald.protocol.Flags;
import java.util.Set;

/**
 * Channel modes from a capability (ably-protocol.md §4.4): the modes a client gets are the ones it asked for (or the
 * default set) that the capability's operations on the channel allow.
 */
public final class Modes {
    private Modes() {
    }

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

    /** The modes granted for an ATTACH carrying {@code requestedFlags}. */
    public static int granted(int requestedFlags, Set<String> operations) {
        int requested = requestedFlags & Flags.MODE_ALL;
        if (requested == 0) {
            requested = Flags.MODE_DEFAULT;
        }
        return requested & allowed(operations);
    }
}

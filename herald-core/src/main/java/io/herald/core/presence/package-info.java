/**
 * Presence rules (docs/protocol.md §8): checking and completing enter/update/leave events, the SYNC pages sent on
 * attach, and the leaves synthesized for members of connections that are gone.
 */
package io.herald.core.presence;

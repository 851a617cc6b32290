/**
 * Message annotations (docs/protocol.md §7.10): the rules of what a client may send, publishing them as events of the
 * channel's log with the annotated message's new summary, and the frames subscribers receive for such an event.
 */
package io.herald.core.annotations;

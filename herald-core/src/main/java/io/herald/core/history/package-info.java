/**
 * History queries from REST parameters (start, end, limit, direction, {@code from_serial}/{@code fromSerial} for
 * {@code untilAttach}, and our paging cursor) and the Link headers that page through them (docs/protocol.md §9.1-§9.2).
 */
package io.herald.core.history;

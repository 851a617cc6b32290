/**
 * The Chat REST API ({@code /chat/v4/rooms/…}, what the {@code @ably/chat} SDK calls): a front over the room's channel
 * ({@code <room>::$chat}), its mutable messages, annotations and occupancy, answering in the Chat API's shapes
 * ({@link io.herald.core.chat.ChatMessages}). Nothing outside this package knows about chat; the node registers these
 * routes into the REST API ({@link io.herald.core.chat.ChatApi#register}).
 */
package io.herald.core.chat;

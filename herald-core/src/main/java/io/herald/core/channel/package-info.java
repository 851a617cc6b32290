/**
 * Channel rules shared by realtime and REST: names and qualifiers ({@link io.herald.core.channel.ChannelName}),
 * namespaces and retention ({@link io.herald.core.channel.ChannelPolicy}), modes granted by a capability
 * ({@link io.herald.core.channel.Modes}), and the checks and completion of published messages
 * ({@link io.herald.core.channel.MessageRules}).
 */
package io.herald.core.channel;

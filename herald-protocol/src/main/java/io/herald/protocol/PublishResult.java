package io.herald.protocol;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One entry of ACK {@code res} (SPEC TR4s): the serials assigned to the messages of one acknowledged
 * ProtocolMessage, {@code null} for a message that was discarded as a duplicate.
 */
public record PublishResult(@Nullable List<@Nullable String> serials) {}

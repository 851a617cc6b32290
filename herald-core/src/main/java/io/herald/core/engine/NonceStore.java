package io.herald.core.engine;

import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** Single use of TokenRequests across every node (docs/protocol.md §4.6). */
public interface NonceStore {

    /**
     * Records the nonce of a key; completes {@code true} the first time, {@code false} if it was used already. The
     * nonce is remembered at least until {@code forgetAfter}.
     */
    CompletionStage<Boolean> claim(String keyName, String nonce, Instant forgetAfter);
}

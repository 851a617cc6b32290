package io.herald.core.engine;

import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Token revocations shared by all nodes. Every node keeps the current revocations in memory, so checking a token is
 * a local lookup; a revocation added on any node reaches every node's {@link EngineListener#onRevocation}.
 */
public interface RevocationStore {

    /** Records the revocation and announces it to every node (this one included). */
    CompletionStage<Void> add(Revocation revocation);

    /** The revocations of a key that may still match a live token. */
    List<Revocation> forKey(String keyName);
}

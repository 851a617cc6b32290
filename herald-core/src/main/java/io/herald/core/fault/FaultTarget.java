package io.herald.core.fault;

/** What a one-shot fault acts on when it is injected: the node's live connections, channels and revocations. */
public interface FaultTarget {
    /** Drops, disconnects, fails or expires the tokens of the connections {@code f} targets; returns how many. */
    int connections(Fault f);

    /** Detaches, fails, suspends or updates the channel {@code f} names on the connections it targets; how many. */
    int channels(Fault f);

    /** Revokes the tokens of {@code f}'s clientId on the app's keys with revocable tokens; returns how many keys. */
    int revokeTokens(Fault f);

    /** A target with nothing to act on. */
    FaultTarget NONE = new FaultTarget() {
        @Override
        public int connections(Fault f) {
            return 0;
        }

        @Override
        public int channels(Fault f) {
            return 0;
        }

        @Override
        public int revokeTokens(Fault f) {
            return 0;
        }
    };
}

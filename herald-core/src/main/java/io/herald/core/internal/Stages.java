package io.herald.core.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** Completion-stage helpers. */
public final class Stages {
    private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

    private Stages() {}

    public static CompletableFuture<Void> done() {
        return DONE;
    }

    public static <T> CompletableFuture<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }

    /** Runs {@code supplier}; a synchronous throw becomes a failed stage. */
    public static <T> CompletionStage<T> guard(java.util.function.Supplier<? extends CompletionStage<T>> supplier) {
        try {
            return supplier.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}

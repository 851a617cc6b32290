package io.herald.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Publishes and other writes on the hot path, pipelined: callers queue commands, one thread writes everything queued
 * to the dedicated connection (auto-flush off) and flushes once, so many publishes share one write to the socket
 * and Redis answers them in one go. The queue is bounded; when it is full, commands fail with 50300 at once.
 */
final class Pipeline implements AutoCloseable {
    static final int MAX_QUEUED = 50_000;
    private static final int MAX_BATCH = 512;

    private record Task<T>(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command,
                           CompletableFuture<T> result) {
    }

    private final RedisLink link;
    private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "herald-redis-pipeline");
        t.setDaemon(true);
        return t;
    });

    Pipeline(RedisLink link) {
        this.link = link;
    }

    /** Queues a command; the stage completes with its reply, or an {@code AblyException}. */
    <T> CompletableFuture<T> submit(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        return this.<T>raw(command).exceptionallyCompose(t -> CompletableFuture.failedFuture(Failures.map(t)));
    }

    private <T> CompletableFuture<T> raw(Function<RedisAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            result.completeExceptionally(Failures.unavailable("too many Redis commands in flight"));
            return result;
        }
        queue.add(new Task<>(command, result));
        if (scheduled.compareAndSet(false, true)) {
            try {
                writer.execute(this::drain);
            } catch (RejectedExecutionException e) {
                fail(Failures.unavailable("the engine is closed"));
            }
        }
        return result;
    }

    /** Runs a script through the pipeline, sending it whole if Redis does not know it. */
    <T> CompletableFuture<T> eval(Script script, ScriptOutputType type, String[] keys, byte[]... args) {
        return this.<T>raw(c -> c.evalsha(script.sha(), type, keys, args)).exceptionallyCompose(t -> {
            if (Failures.isNoScript(t)) {
                return raw(c -> c.eval(script.body(), type, keys, args));
            }
            return CompletableFuture.failedFuture(t);
        }).exceptionallyCompose(t -> CompletableFuture.failedFuture(Failures.map(t)));
    }

    private void drain() {
        while (true) {
            StatefulRedisConnection<String, byte[]> c = link.pipelinedConnection();
            int n = 0;
            Task<?> task;
            while ((task = queue.poll()) != null) {
                queued.decrementAndGet();
                if (c == null) {
                    task.result.completeExceptionally(Failures.unavailable("Redis is unreachable"));
                    continue;
                }
                write(c, task);
                if (++n == MAX_BATCH) {
                    c.flushCommands();
                    n = 0;
                }
            }
            if (n > 0) {
                c.flushCommands();
            }
            scheduled.set(false);
            if (queue.isEmpty() || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private static <T> void write(StatefulRedisConnection<String, byte[]> c, Task<T> task) {
        try {
            task.command.apply(c.async()).whenComplete((v, t) -> {
                if (t != null) {
                    task.result.completeExceptionally(t);
                } else {
                    task.result.complete(v);
                }
            });
        } catch (RuntimeException e) {
            task.result.completeExceptionally(e);
        }
    }

    private void fail(Throwable t) {
        Task<?> task;
        while ((task = queue.poll()) != null) {
            queued.decrementAndGet();
            task.result.completeExceptionally(t);
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
        fail(Failures.unavailable("the engine is closed"));
    }
}

package io.herald.redis;

import io.lettuce.core.RedisFuture;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Publishes and other writes on the hot path, pipelined: callers queue commands, one thread writes everything queued
 * to the dedicated connection (auto-flush off) and flushes once, so many publishes share one write to the socket
 * and Redis answers them in one go. {@link Source}s (the broker's publish queue) are drained by the same thread, so
 * they can turn many queued publishes into few commands. Queues are bounded; beyond, commands fail with 50300.
 *
 * <p>The scripts are loaded ({@code SCRIPT LOAD}) ahead of the first commands on every new connection, so the
 * {@code EVALSHA}s behind them never meet a Redis that lost its script cache (a restart); should one still answer
 * NOSCRIPT (an operator flushed the cache), it is sent again whole.
 */
final class Pipeline implements AutoCloseable {
    static final int MAX_QUEUED = 50_000;
    private static final int MAX_BATCH = 512;

    /** Commands queued elsewhere, written by the pipeline's thread. */
    interface Source {
        /** Writes what is queued (without flushing); returns the number of commands written. */
        int drainTo(RedisClusterAsyncCommands<String, byte[]> commands);

        /** Fails everything queued (no connection, or closing). */
        void failAll(Throwable t);

        boolean isEmpty();
    }

    private record Task<T>(
            Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> command, CompletableFuture<T> result) {}

    private final RedisLink link;
    private final ConcurrentLinkedQueue<Task<?>> queue = new ConcurrentLinkedQueue<>();
    private final List<Source> sources = new CopyOnWriteArrayList<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private volatile boolean loadScripts = true;
    private final ExecutorService writer = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "herald-redis-pipeline");
        t.setDaemon(true);
        return t;
    });

    Pipeline(RedisLink link) {
        this.link = link;
    }

    void add(Source source) {
        sources.add(source);
    }

    /** The next flush starts with {@code SCRIPT LOAD}s (the connection is new, or Redis forgot a script). */
    void reloadScripts() {
        loadScripts = true;
    }

    /** Queues a command; the stage completes with its reply, or an {@code AblyException}. */
    <T> CompletableFuture<T> submit(Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        return this.<T>raw(command).exceptionallyCompose(t -> CompletableFuture.failedFuture(Failures.map(t)));
    }

    private <T> CompletableFuture<T> raw(Function<RedisClusterAsyncCommands<String, byte[]>, RedisFuture<T>> command) {
        CompletableFuture<T> result = new CompletableFuture<>();
        if (queued.incrementAndGet() > MAX_QUEUED) {
            queued.decrementAndGet();
            result.completeExceptionally(Failures.unavailable("too many Redis commands in flight"));
            return result;
        }
        queue.add(new Task<>(command, result));
        wake();
        return result;
    }

    /** Runs a script through the pipeline, sending it whole if Redis does not know it. */
    <T> CompletableFuture<T> eval(Script script, ScriptOutputType type, String[] keys, byte[]... args) {
        return this.<T>raw(c -> c.evalsha(script.sha(), type, keys, args))
                .exceptionallyCompose(t -> {
                    if (Failures.isNoScript(t)) {
                        reloadScripts();
                        return raw(c -> c.eval(script.body(), type, keys, args));
                    }
                    return CompletableFuture.failedFuture(t);
                })
                .exceptionallyCompose(t -> CompletableFuture.failedFuture(Failures.map(t)));
    }

    /** Makes the writer run soon (something was queued). */
    void wake() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                writer.execute(this::drain);
            } catch (RejectedExecutionException e) {
                failAll(Failures.unavailable("the engine is closed"));
            }
        }
    }

    private boolean idle() {
        if (!queue.isEmpty()) {
            return false;
        }
        for (Source s : sources) {
            if (!s.isEmpty()) {
                return false;
            }
        }
        return true;
    }

    // a load that fails shows as NOSCRIPT on the next EVALSHA, which then sends the whole script and loads again
    @SuppressWarnings("FutureReturnValueIgnored")
    private static int loadScripts(RedisClusterAsyncCommands<String, byte[]> async) {
        for (Script s : Script.ALL) {
            async.scriptLoad(s.body());
        }
        return Script.ALL.size();
    }

    private void drain() {
        while (true) {
            StatefulConnection<String, byte[]> c = link.pipelinedConnection();
            if (c == null) {
                failAll(Failures.unavailable("Redis is unreachable"));
            } else {
                RedisClusterAsyncCommands<String, byte[]> async = link.pipelinedCommands();
                int n = 0;
                if (loadScripts) {
                    loadScripts = false;
                    n += loadScripts(async);
                }
                Task<?> task;
                while ((task = queue.poll()) != null) {
                    queued.decrementAndGet();
                    write(async, task);
                    if (++n >= MAX_BATCH) {
                        c.flushCommands();
                        n = 0;
                    }
                }
                for (Source s : sources) {
                    n += s.drainTo(async);
                }
                if (n > 0) {
                    c.flushCommands();
                }
            }
            scheduled.set(false);
            if (idle() || !scheduled.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private static <T> void write(RedisClusterAsyncCommands<String, byte[]> c, Task<T> task) {
        try {
            task.command.apply(c).whenComplete((v, t) -> {
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

    private void failAll(Throwable t) {
        Task<?> task;
        while ((task = queue.poll()) != null) {
            queued.decrementAndGet();
            task.result.completeExceptionally(t);
        }
        for (Source s : sources) {
            s.failAll(t);
        }
    }

    @Override
    public void close() {
        writer.shutdownNow();
        failAll(Failures.unavailable("the engine is closed"));
    }
}

package io.herald.server.recording;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * Records channels' messages and presence events into a {@link RecordingFile} as a realtime client: attaches each
 * channel with SUBSCRIBE and PRESENCE_SUBSCRIBE, records the members already present (from the SYNC) as
 * {@code present}, then every event as it arrives, with the ms since the recording started. Runs until
 * {@link #stop} (Ctrl-C), the duration, the count, or the loss of the connection.
 */
public final class Recorder {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> MESSAGE_FIELDS =
            List.of("name", "data", "encoding", "clientId", "extras", "id", "connectionId", "timestamp");

    /** What to record, where to, and when to stop ({@code duration} and {@code count} may be absent). */
    public record Options(
            Endpoint endpoint,
            List<String> channels,
            Path out,
            boolean overwrite,
            @Nullable Duration duration,
            @Nullable Long count) {}

    /** How a recording ended. */
    public record Result(long events, long messages, long presence, long elapsedMs, String stoppedBecause) {}

    private final Options options;
    private final PrintWriter log;
    private final CompletableFuture<String> stop = new CompletableFuture<>();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final AtomicLong messages = new AtomicLong();
    private final AtomicLong presence = new AtomicLong();
    private volatile @Nullable RecordingWriter writer;
    private volatile @Nullable RecordingException failure;
    private long startNanos;

    public Recorder(Options options, PrintWriter log) {
        this.options = options;
        this.log = log;
    }

    /** Ends the recording (from any thread, e.g. a shutdown hook); {@link #run} returns soon after. */
    public void stop(String why) {
        stop.complete(why);
    }

    /** Waits until {@link #run} has closed the file, at most {@code timeout}. */
    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Records until stopped. The file is created once the connection is up; when the connection or an attach fails
     * before anything was recorded, it is removed again.
     */
    public Result run() throws RecordingException {
        try {
            return record();
        } finally {
            RecordingWriter w = writer;
            if (w != null) {
                w.close();
            }
            finished.countDown();
        }
    }

    private Result record() throws RecordingException {
        RealtimeConnection connection = RealtimeConnection.open(options.endpoint(), this::onFrame, TIMEOUT);
        try {
            startNanos = System.nanoTime();
            writer = RecordingWriter.create(
                    options.out(),
                    options.overwrite(),
                    RecordingFile.header(
                            Instant.now(), options.endpoint().rest().toString(), options.channels()));
            for (String channel : options.channels()) {
                attach(connection, channel);
            }
            log.printf(
                    "herald record: recording %s from %s into %s; Ctrl-C stops%n",
                    String.join(", ", options.channels()), options.endpoint().rest(), options.out());
            log.flush();
            connection.lost().thenAccept(why -> stop.complete("lost: " + why));
            String why = awaitStop(connection);
            RecordingException failed = failure;
            if (failed != null) {
                throw failed;
            }
            long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
            long m = messages.get();
            long p = presence.get();
            if (why.startsWith("lost: ")) {
                throw new RecordingException(
                        RecordingException.UNREACHABLE,
                        "the connection was " + why + "; the " + (m + p) + " events recorded until then are in "
                                + options.out());
            }
            return new Result(m + p, m, p, elapsed, why);
        } finally {
            connection.close();
        }
    }

    private void attach(RealtimeConnection connection, String channel) throws RecordingException {
        try {
            connection.attach(channel, RealtimeConnection.MODE_SUBSCRIBE | RealtimeConnection.MODE_PRESENCE_SUBSCRIBE);
        } catch (AblyError.Failure f) {
            discardFile();
            throw new RecordingException(
                    RecordingException.REFUSED, "cannot attach " + channel + ": the server refused it: " + f.error);
        } catch (RecordingException e) {
            discardFile();
            throw e;
        }
    }

    private void discardFile() {
        RecordingWriter w = writer;
        if (w != null) {
            w.close();
            writer = null;
            try {
                Files.deleteIfExists(options.out());
            } catch (IOException e) {
                log.println("herald record: could not remove " + options.out() + ": " + e.getMessage());
            }
        }
    }

    private String awaitStop(RealtimeConnection connection) throws RecordingException {
        Duration limit = options.duration();
        while (true) {
            long waitMs = 1000;
            if (limit != null) {
                waitMs = Math.min(
                        waitMs, limit.toMillis() - TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
                if (waitMs <= 0) {
                    return "--duration (" + limit.toMillis() + " ms) is over";
                }
            }
            try {
                return stop.get(waitMs, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!connection.overdue().isNegative()) {
                    return "lost: the server has been silent for longer than it promised (maxIdleInterval)";
                }
            } catch (ExecutionException e) {
                throw new IllegalStateException("the stop future is only ever completed normally", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "interrupted";
            }
        }
    }

    /** On the socket's thread: writes the events of a MESSAGE, PRESENCE or SYNC frame. */
    private void onFrame(JsonNode frame) {
        int action = frame.path("action").asInt(-1);
        String channel = frame.path("channel").asText("");
        try {
            switch (action) {
                case RealtimeConnection.MESSAGE -> {
                    JsonNode list = frame.path("messages");
                    for (int i = 0; i < list.size(); i++) {
                        write(event(frame, channel, RecordedEvent.Type.MESSAGE, list.get(i), i), messages);
                    }
                }
                case RealtimeConnection.PRESENCE, RealtimeConnection.SYNC -> {
                    JsonNode list = frame.path("presence");
                    for (int i = 0; i < list.size(); i++) {
                        write(event(frame, channel, RecordedEvent.Type.PRESENCE, list.get(i), i), presence);
                    }
                }
                case RealtimeConnection.ERROR, RealtimeConnection.DETACHED ->
                    stop.complete(
                            "lost: the server ended the channel " + channel + ": " + AblyError.of(frame.path("error")));
                case RealtimeConnection.ATTACHED -> {
                    log.println("herald record: " + channel
                            + " was re-attached without continuity; events may be missing: "
                            + AblyError.of(frame.path("error")));
                    log.flush();
                }
                default -> {
                    // nothing else is part of a channel's traffic
                }
            }
        } catch (RecordingException e) {
            failure = e;
            stop.complete("failed");
        }
    }

    private ObjectNode event(JsonNode frame, String channel, RecordedEvent.Type type, JsonNode message, int index) {
        ObjectNode line = RecordingFile.JSON.createObjectNode();
        line.put("offsetMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
        line.put("channel", channel);
        line.put("type", type.wire());
        if (type == RecordedEvent.Type.PRESENCE) {
            int a = message.path("action").asInt(-1);
            line.put(
                    "action",
                    a >= 0 && a < RecordingFile.PRESENCE_ACTIONS.size()
                            ? RecordingFile.PRESENCE_ACTIONS.get(a)
                            : String.valueOf(a));
        } else if (message.path("action").asInt(0) != 0) {
            // an update, delete, append or summary: kept so a reader sees it; replay leaves these out
            line.put("messageAction", message.path("action").asInt());
        }
        for (String field : MESSAGE_FIELDS) {
            JsonNode v = message.get(field);
            if (v != null && !v.isNull()) {
                line.set(field, v);
            }
        }
        // as the SDKs do (TM2a, TM2c, TM2f): what a message leaves out comes from its protocol message
        if (!line.has("id") && frame.hasNonNull("id")) {
            line.put("id", frame.get("id").asText() + ":" + index);
        }
        for (String field : List.of("connectionId", "timestamp")) {
            if (!line.has(field) && frame.hasNonNull(field)) {
                line.set(field, frame.get(field));
            }
        }
        return line;
    }

    /** Only the socket's thread writes, so the counts and the check of {@code count} need no lock. */
    private void write(ObjectNode line, AtomicLong kind) throws RecordingException {
        RecordingWriter w = writer;
        if (w == null || stop.isDone()) {
            return;
        }
        w.write(line);
        kind.incrementAndGet();
        Long count = options.count();
        if (count != null && messages.get() + presence.get() >= count) {
            stop.complete("--count " + count + " reached");
        }
    }
}

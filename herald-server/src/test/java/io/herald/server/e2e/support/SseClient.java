package io.herald.server.e2e.support;

import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Server-Sent Events client over java.net.http, parsing the stream as the EventSource spec does: {@code id}
 * updates the last event id even for an event without data, {@code data} lines are joined with newlines, lines
 * starting with {@code :} are comments (counted as heartbeats). Events arrive in a queue read by the test thread.
 */
public final class SseClient implements AutoCloseable {
    /** One dispatched event: its type ({@code message} unless named), data and the last event id at that point. */
    public record Event(String type, String data, String lastEventId) {}

    private static final HttpClient CLIENT =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public final int status;
    public final HttpResponse<InputStream> response;
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final BlockingQueue<String> comments = new LinkedBlockingQueue<>();
    private volatile String lastEventId = "";
    private volatile boolean ended;
    private final java.util.concurrent.CountDownLatch firstId = new java.util.concurrent.CountDownLatch(1);
    private final Thread reader;

    private SseClient(HttpResponse<InputStream> response) {
        this.response = response;
        this.status = response.statusCode();
        this.reader = new Thread(this::read, "sse-client");
        reader.setDaemon(true);
        if (status == 200) {
            reader.start();
        }
    }

    public static SseClient open(URI uri, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().header("Accept", "text/event-stream");
        if (headers.length > 0) {
            b.headers(headers);
        }
        return new SseClient(CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofInputStream()));
    }

    public String body() throws Exception {
        return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    }

    private void read() {
        String type = "";
        StringBuilder data = null;
        String id = lastEventId;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isEmpty()) {
                    lastEventId = id;
                    if (!id.isEmpty()) {
                        firstId.countDown();
                    }
                    if (data != null) {
                        events.add(new Event(type.isEmpty() ? "message" : type, data.toString(), id));
                    }
                    type = "";
                    data = null;
                } else if (line.startsWith(":")) {
                    comments.add(line);
                } else {
                    int colon = line.indexOf(':');
                    String field = colon < 0 ? line : line.substring(0, colon);
                    String value = colon < 0 ? "" : line.substring(colon + 1);
                    if (value.startsWith(" ")) {
                        value = value.substring(1);
                    }
                    switch (field) {
                        case "id" -> id = value;
                        case "event" -> type = value;
                        case "data" ->
                            data = data == null
                                    ? new StringBuilder(value)
                                    : data.append('\n').append(value);
                        default -> {}
                    }
                }
            }
        } catch (Exception e) {
            // closed by the test
        } finally {
            ended = true;
        }
    }

    /** The next event, failing after {@code seconds}. */
    public Event next(int seconds) throws InterruptedException {
        Event e = events.poll(seconds, TimeUnit.SECONDS);
        if (e == null) {
            throw new AssertionError("no event within " + seconds + " s (ended: " + ended + ")");
        }
        return e;
    }

    public List<Event> next(int n, int seconds) throws InterruptedException {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(next(seconds));
        }
        return out;
    }

    /** No further event arrives within {@code millis}. */
    public boolean quietFor(long millis) throws InterruptedException {
        return events.poll(millis, TimeUnit.MILLISECONDS) == null;
    }

    public String nextComment(int seconds) throws InterruptedException {
        String c = comments.poll(seconds, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("no comment within " + seconds + " s");
        }
        return c;
    }

    /** The id the stream set last (what an EventSource would send as Last-Event-ID). */
    public String lastEventId() {
        return lastEventId;
    }

    /** Waits until the stream has set an event id (the stream started and every channel is attached). */
    public String awaitLastEventId(int seconds) throws InterruptedException {
        if (!firstId.await(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("the stream set no id within " + seconds + " s");
        }
        return lastEventId;
    }

    public boolean ended() {
        return ended;
    }

    @Override
    public void close() throws java.io.IOException {
        response.body().close();
        reader.interrupt();
    }
}

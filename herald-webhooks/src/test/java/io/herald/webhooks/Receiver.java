package io.herald.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/** A real HTTP endpoint that records each request and answers with the status {@code status} gives. */
public final class Receiver implements AutoCloseable {
    public record Request(Map<String, List<String>> headers, byte[] body, JsonNode json) {
        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer server;
    private final LinkedBlockingQueue<Request> requests = new LinkedBlockingQueue<>();
    public final List<Integer> statuses = new CopyOnWriteArrayList<>();
    public volatile IntSupplier status = () -> 200;

    public Receiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            int s = status.getAsInt();
            statuses.add(s);
            if (s >= 200 && s < 300) {
                requests.add(
                        new Request(Map.copyOf(exchange.getRequestHeaders()), body, new ObjectMapper().readTree(body)));
            }
            exchange.sendResponseHeaders(s, -1);
            exchange.close();
        });
        server.start();
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
    }

    /** The next accepted request, waiting up to {@code seconds}; fails when none comes. */
    public Request next(int seconds) throws InterruptedException {
        Request r = requests.poll(seconds, TimeUnit.SECONDS);
        if (r == null) {
            throw new AssertionError("no webhook request within " + seconds + "s");
        }
        return r;
    }

    /** An accepted request if one comes within {@code millis}, else null. */
    public Request poll(long millis) throws InterruptedException {
        return requests.poll(millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

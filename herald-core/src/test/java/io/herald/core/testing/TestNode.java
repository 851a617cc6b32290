package io.herald.core.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.herald.auth.ApiKey;
import io.herald.auth.Capability;
import io.herald.auth.HeraldTokens;
import io.herald.auth.TokenClaims;
import io.herald.core.HeraldNode;
import io.herald.core.config.AppConfig;
import io.herald.core.config.CoreConfig;
import io.herald.core.config.Limits;
import io.herald.core.config.Timings;
import io.herald.core.engine.ChannelId;
import io.herald.core.engine.EngineContext;
import io.herald.core.engine.PublishRequest;
import io.herald.core.engine.memory.MemoryEngine;
import io.herald.core.rest.RestRequest;
import io.herald.core.rest.RestResponse;
import io.herald.core.session.ConnectionHandler;
import io.herald.protocol.Action;
import io.herald.protocol.Format;
import io.herald.protocol.PresenceMessage;
import io.herald.protocol.ProtocolCodec;
import io.herald.protocol.ProtocolMessage;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole {@link HeraldNode} on the in-memory engine, in-process: REST requests go straight to {@link HeraldNode#rest}
 * (the memory engine completes every stage at once, so each answer is there when {@code send()} returns), realtime
 * clients are {@link RecordingTransport}s on a {@link ManualLoop}, and time is a {@link MutableClock}. No Netty, no
 * sockets, no threads.
 */
public final class TestNode implements AutoCloseable {
    public static final String SERVER_ID = "test-node";

    public final MutableClock clock = new MutableClock(1_800_000_000_000L);
    public final ManualLoop loop = new ManualLoop(clock);
    public final RecordingObserver observer = new RecordingObserver();
    public final CoreConfig config;
    public final HeraldNode node;

    public TestNode(CoreConfig config) {
        this.config = config;
        this.node = new HeraldNode(
                config, new MemoryEngine(new EngineContext(config, clock, "n1", Map.of())), clock, observer);
        node.start();
    }

    public TestNode(AppConfig... apps) {
        this(config(apps));
    }

    /** A node configuration with the default limits and timings and these apps. */
    public static CoreConfig config(AppConfig... apps) {
        return new CoreConfig(SERVER_ID, Limits.DEFAULTS, Timings.DEFAULTS, false, List.of(apps));
    }

    /** The same configuration with the sandbox provisioning endpoints on. */
    public static CoreConfig sandbox(CoreConfig c) {
        return new CoreConfig(c.serverId(), c.limits(), c.timings(), true, c.apps());
    }

    @Override
    public void close() {
        node.close();
    }

    // ---- REST ----

    public Request request(String method, String path) {
        return new Request(method, path);
    }

    public Request get(String path) {
        return request("GET", path);
    }

    public Request post(String path, String json) {
        return request("POST", path).json(json);
    }

    /** A Herald token of {@code key}, issued now. */
    public String token(ApiKey key, String clientId, String capability, Duration ttl) {
        long now = clock.millis();
        return HeraldTokens.issue(
                key,
                new TokenClaims(
                        key.keyName(),
                        HeraldTokens.newTokenId(),
                        clientId,
                        capability == null ? Capability.ALL.canonical() : capability,
                        now,
                        now + ttl.toMillis(),
                        null));
    }

    /** One REST request being built. */
    public final class Request {
        private final String method;
        private final String path;
        private final Map<String, String> query = new LinkedHashMap<>();
        private final Map<String, String> headers = new HashMap<>();
        private byte[] body;

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        public Request query(String name, String value) {
            query.put(name, value);
            return this;
        }

        /** Every parameter of a query string such as a {@code Link} header's ({@code limit=2&cursor=3.0}). */
        public Request queryString(String qs) {
            for (String pair : qs.split("&")) {
                int eq = pair.indexOf('=');
                query.put(
                        java.net.URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
            return this;
        }

        public Request header(String name, String value) {
            headers.put(name.toLowerCase(java.util.Locale.ROOT), value);
            return this;
        }

        public Request basic(ApiKey key) {
            return header(
                    "authorization",
                    "Basic "
                            + Base64.getEncoder().encodeToString(key.keyString().getBytes(StandardCharsets.UTF_8)));
        }

        public Request bearer(String token) {
            return header("authorization", "Bearer " + token);
        }

        public Request json(String json) {
            body = json == null ? null : json.getBytes(StandardCharsets.UTF_8);
            return header("content-type", "application/json");
        }

        public Request body(byte[] bytes, String contentType) {
            body = bytes;
            return header("content-type", contentType);
        }

        public Response send() {
            RestResponse r = node.rest(new RestRequest(method, path, query, headers, body, "127.0.0.1"))
                    .toCompletableFuture()
                    .join();
            return new Response(r);
        }
    }

    /** A REST answer, with its body decoded as its Content-Type says. */
    public record Response(RestResponse raw) {
        public int status() {
            return raw.status();
        }

        public String header(String name) {
            return raw.firstHeader(name);
        }

        public List<String> headers(String name) {
            return raw.headers().getOrDefault(name, List.of());
        }

        public JsonNode json() {
            String ct = header("Content-Type");
            Format f = ct != null && ct.contains("msgpack") ? Format.MSGPACK : Format.JSON;
            return ProtocolCodec.of(f).decodeTree(raw.body());
        }

        public String text() {
            return new String(raw.body(), StandardCharsets.UTF_8);
        }

        /** The Ably error code of an error answer (body and header must agree). */
        public int errorCode() {
            int code = json().path("error").path("code").asInt(-1);
            if (!String.valueOf(code).equals(header("X-Ably-Errorcode"))) {
                throw new AssertionError("error body code " + code + " but X-Ably-Errorcode "
                        + header("X-Ably-Errorcode") + " in " + text());
            }
            return code;
        }

        public String errorMessage() {
            return json().path("error").path("message").asText();
        }

        /** The {@code Link} header of a relation, as its query string ({@code limit=2&cursor=…}), or null. */
        public String link(String rel) {
            for (String l : headers("Link")) {
                if (l.endsWith("rel=\"" + rel + "\"")) {
                    return l.substring(l.indexOf('?') + 1, l.indexOf('>'));
                }
            }
            return null;
        }

        @Override
        public String toString() {
            return status() + " " + text();
        }
    }

    // ---- realtime ----

    /** A realtime client connected with these query parameters (JSON protocol). */
    public Client connect(Map<String, String> query) {
        return new Client(query);
    }

    /** A realtime connection, driven on the test thread. */
    public final class Client {
        public final RecordingTransport transport = new RecordingTransport(Format.JSON);
        public final ConnectionHandler handler;
        private long msgSerial;

        private Client(Map<String, String> query) {
            Map<String, String> q = new HashMap<>(query);
            q.put("format", "json");
            handler = node.connect(transport, loop, q);
            loop.runPending();
        }

        public ProtocolMessage connected() {
            return transport.sent().get(0);
        }

        public void send(ProtocolMessage pm) {
            handler.onMessage(pm);
            loop.runPending();
        }

        public void attach(String channel) {
            send(ProtocolMessage.of(Action.ATTACH, channel));
        }

        public void enter(String channel, String data) {
            ProtocolMessage pm = ProtocolMessage.of(Action.PRESENCE, channel);
            pm.msgSerial = msgSerial++;
            PresenceMessage p = new PresenceMessage();
            p.action = PresenceMessage.ENTER;
            p.data = data;
            pm.presence = new ArrayList<>(List.of(p));
            send(pm);
        }

        public List<ProtocolMessage> of(int action) {
            return transport.sent().stream().filter(p -> p.action == action).toList();
        }
    }

    /** Puts presence members straight into the engine, as another node's clients would. */
    public void seedPresence(String appId, String channel, String connectionId, String... clientIds) {
        for (String clientId : clientIds) {
            ProtocolMessage pm = TestEvents.presence(channel, PresenceMessage.ENTER, clientId, connectionId);
            node.engine()
                    .broker()
                    .publish(new PublishRequest(new ChannelId(appId, channel), pm, Duration.ofMinutes(2), false))
                    .toCompletableFuture()
                    .join();
        }
    }
}

package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.herald.auth.ApiKey;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.Json;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input on every REST endpoint (docs/protocol.md §10.1, §10.3): malformed JSON and msgpack, wrong types, missing
 * fields, bodies over the 512 KiB frame limit (413/40009), deep nesting, unknown keys, path tricks, bad credentials,
 * unknown methods and malformed HTTP. Every answer must be a 4xx Ably error (JSON body, X-Ably-Errorcode/-Errormessage
 * headers), never a 5xx and never a hang; afterwards the server still answers {@code GET /time}.
 */
class BadInputIT {
    private static final int LIMIT = 512 * 1024;

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    @AfterEach
    void serverStillAnswers() {
        Http.Response r = Http.get(server.uri("/time"));
        assertThat(r.status()).as("GET /time after the bad input: %s", r).isEqualTo(200);
    }

    /** What a case must get: an exact Ably error, any 4xx Ably error, or at least no 5xx (legitimate oddities). */
    enum Expect {
        EXACT,
        CLIENT_ERROR,
        NOT_SERVER_ERROR
    }

    record Case(String name, HttpRequest request, Expect expect, int status, int code) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<Case> CASES = new ArrayList<>();

    private static HttpRequest.Builder req(String method, String path, String contentType, byte[] body) {
        HttpRequest.Builder b = Http.request(server.uri(path))
                .method(
                        method,
                        body == null
                                ? HttpRequest.BodyPublishers.noBody()
                                : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b;
    }

    private static void clientError(String name, HttpRequest.Builder b) {
        CASES.add(new Case(name, b.build(), Expect.CLIENT_ERROR, 0, 0));
    }

    private static void exact(String name, HttpRequest.Builder b, int status, int code) {
        CASES.add(new Case(name, b.build(), Expect.EXACT, status, code));
    }

    private static void noServerError(String name, HttpRequest.Builder b) {
        CASES.add(new Case(name, b.build(), Expect.NOT_SERVER_ERROR, 0, 0));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String basic(ApiKey k) {
        return Http.basic(k);
    }

    private static String nested(int depth, String open, String close, String inner) {
        return open.repeat(depth) + inner + close.repeat(depth);
    }

    /** A POST endpoint and the Basic auth it needs (null for none). */
    record Post(String path, String auth) {
        @Override
        public String toString() {
            return path + (auth == null ? "" : " (Basic)");
        }
    }

    static List<Post> posts() {
        return List.of(
                new Post("/keys/" + server.full.keyName() + "/requestToken", null),
                new Post("/keys/" + server.full.keyName() + "/requestToken", basic(server.full)),
                new Post("/keys/" + server.revocable.keyName() + "/revokeTokens", basic(server.revocable)),
                new Post("/channels/chat:bad/messages", basic(server.full)),
                new Post("/messages", basic(server.full)));
    }

    static List<Case> cases() {
        CASES.clear();
        String full = basic(server.full);
        for (Post p : posts()) {
            String at = "POST " + p.path() + (p.auth() == null ? "" : " (Basic)") + ": ";
            java.util.function.Function<HttpRequest.Builder, HttpRequest.Builder> auth =
                    b -> p.auth() == null ? b : b.header("Authorization", p.auth());
            clientError(
                    at + "malformed JSON", auth.apply(req("POST", p.path(), "application/json", utf8("{\"name\":"))));
            clientError(
                    at + "JSON with trailing garbage",
                    auth.apply(req("POST", p.path(), "application/json", utf8("{} xyz"))));
            clientError(at + "not UTF-8", auth.apply(req("POST", p.path(), "application/json", new byte[] {
                '{', '"', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'
            })));
            clientError(at + "empty body", auth.apply(req("POST", p.path(), "application/json", new byte[0])));
            clientError(at + "JSON string", auth.apply(req("POST", p.path(), "application/json", utf8("\"hello\""))));
            clientError(at + "JSON number", auth.apply(req("POST", p.path(), "application/json", utf8("42"))));
            clientError(at + "JSON null", auth.apply(req("POST", p.path(), "application/json", utf8("null"))));
            clientError(
                    at + "malformed msgpack (0xc1)",
                    auth.apply(req("POST", p.path(), "application/x-msgpack", new byte[] {(byte) 0xc1, 0x00})));
            clientError(
                    at + "truncated msgpack map", auth.apply(req("POST", p.path(), "application/x-msgpack", new byte[] {
                        (byte) 0x85, (byte) 0xa4, 'n', 'a', 'm', 'e'
                    })));
            clientError(
                    at + "msgpack str32 claiming 2 GB",
                    auth.apply(req("POST", p.path(), "application/x-msgpack", new byte[] {
                        (byte) 0x81, (byte) 0xa1, 'a', (byte) 0xdb, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'x'
                    })));
            clientError(
                    at + "msgpack array32 claiming 2 billion items",
                    auth.apply(req("POST", p.path(), "application/x-msgpack", new byte[] {
                        (byte) 0xdd, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0x80
                    })));
            clientError(
                    at + "JSON nested 5000 deep (objects)",
                    auth.apply(req("POST", p.path(), "application/json", utf8(nested(5000, "{\"a\":", "}", "1")))));
            clientError(
                    at + "JSON nested 200 deep (arrays)",
                    auth.apply(req("POST", p.path(), "application/json", utf8(nested(200, "[", "]", "1")))));
            byte[] deepMsgpack = new byte[300];
            java.util.Arrays.fill(deepMsgpack, (byte) 0x91);
            deepMsgpack[299] = 0x01;
            clientError(
                    at + "msgpack nested 299 deep",
                    auth.apply(req("POST", p.path(), "application/x-msgpack", deepMsgpack)));
        }

        // requestToken: wrong types and missing fields
        String rt = "/keys/" + server.full.keyName() + "/requestToken";
        String n = "\"nonce\":\"1234567890123456\",\"mac\":\"AAAA\"";
        long now = System.currentTimeMillis();
        clientError(
                "requestToken: keyName a number",
                req("POST", rt, "application/json", utf8("{\"keyName\":5,\"timestamp\":" + now + "," + n + "}")));
        clientError(
                "requestToken: ttl a float",
                req(
                        "POST",
                        rt,
                        "application/json",
                        utf8("{\"keyName\":\"test.full\",\"ttl\":1.5,\"timestamp\":" + now + "," + n + "}")));
        clientError(
                "requestToken: ttl a word",
                req(
                        "POST",
                        rt,
                        "application/json",
                        utf8("{\"keyName\":\"test.full\",\"ttl\":\"soon\",\"timestamp\":" + now + "," + n + "}")));
        clientError(
                "requestToken: ttl negative",
                req(
                        "POST",
                        rt,
                        "application/json",
                        utf8("{\"keyName\":\"test.full\",\"ttl\":-5,\"timestamp\":" + now + "," + n + "}")));
        clientError(
                "requestToken: timestamp missing",
                req("POST", rt, "application/json", utf8("{\"keyName\":\"test.full\"," + n + "}")));
        clientError(
                "requestToken: timestamp an object",
                req("POST", rt, "application/json", utf8("{\"keyName\":\"test.full\",\"timestamp\":{}," + n + "}")));
        clientError(
                "requestToken: nonce missing",
                req(
                        "POST",
                        rt,
                        "application/json",
                        utf8("{\"keyName\":\"test.full\",\"timestamp\":" + now + ",\"mac\":\"AAAA\"}")));
        clientError(
                "requestToken: nonce too short",
                req(
                        "POST",
                        rt,
                        "application/json",
                        utf8("{\"keyName\":\"test.full\",\"timestamp\":" + now
                                + ",\"nonce\":\"1\",\"mac\":\"AAAA\"}")));
        clientError(
                "requestToken: capability an object",
                req(
                        "POST",
                        rt,
                        "application/json",
                        utf8("{\"keyName\":\"test.full\",\"capability\":{\"a\":[\"publish\"]},\"timestamp\":" + now
                                + "," + n + "}")));
        clientError(
                "requestToken: capability not JSON (Basic auth, unsigned)",
                req("POST", rt, "application/json", utf8("{\"capability\":\"{not json\"}"))
                        .header("Authorization", full));
        clientError(
                "requestToken: capability with an unknown operation (Basic auth, unsigned)",
                req("POST", rt, "application/json", utf8("{\"capability\":\"{\\\"a\\\":[\\\"fly\\\"]}\"}"))
                        .header("Authorization", full));
        clientError(
                "requestToken: clientId a number (Basic auth, unsigned)",
                req("POST", rt, "application/json", utf8("{\"clientId\":42}")).header("Authorization", full));
        clientError(
                "requestToken: signed, unknown key name in path and body",
                req(
                        "POST",
                        "/keys/test.nokey/requestToken",
                        "application/json",
                        utf8(Tokens.signed(new ApiKey("test", "nokey", server.full.secret()), null)
                                .toJson())));
        clientError(
                "requestToken: key string with secret in the path",
                req("POST", "/keys/" + server.full.keyString() + "/requestToken", "application/json", utf8("{}")));
        exact(
                "requestToken: unknown app",
                req(
                        "POST",
                        "/keys/noapp.key/requestToken",
                        "application/json",
                        utf8(Tokens.signed(new ApiKey("noapp", "key", server.full.secret()), null)
                                .toJson())),
                401,
                40101);

        // revokeTokens: wrong types and missing fields
        String rv = "/keys/" + server.revocable.keyName() + "/revokeTokens";
        String rvAuth = basic(server.revocable);
        clientError(
                "revokeTokens: targets missing",
                req("POST", rv, "application/json", utf8("{}")).header("Authorization", rvAuth));
        clientError(
                "revokeTokens: targets a string",
                req("POST", rv, "application/json", utf8("{\"targets\":\"clientId:x\"}"))
                        .header("Authorization", rvAuth));
        clientError(
                "revokeTokens: issuedBefore a word",
                req(
                                "POST",
                                rv,
                                "application/json",
                                utf8("{\"targets\":[\"clientId:x\"],\"issuedBefore\":\"yesterday\"}"))
                        .header("Authorization", rvAuth));
        StringBuilder many = new StringBuilder("{\"targets\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("\"clientId:u").append(i).append('"');
        }
        clientError(
                "revokeTokens: 101 targets",
                req("POST", rv, "application/json", utf8(many + "]}")).header("Authorization", rvAuth));
        clientError(
                "revokeTokens: unknown key (Basic of that key)",
                req("POST", "/keys/test.nokey/revokeTokens", "application/json", utf8("{\"targets\":[\"clientId:x\"]}"))
                        .header("Authorization", basic(new ApiKey("test", "nokey", server.full.secret()))));

        // publish: wrong types
        String pub = "/channels/chat:bad/messages";
        clientError(
                "publish: name a number",
                req("POST", pub, "application/json", utf8("{\"name\":5,\"data\":\"x\"}"))
                        .header("Authorization", full));
        clientError(
                "publish: encoding a number",
                req("POST", pub, "application/json", utf8("{\"name\":\"a\",\"data\":\"x\",\"encoding\":7}"))
                        .header("Authorization", full));
        clientError(
                "publish: clientId a boolean",
                req("POST", pub, "application/json", utf8("{\"name\":\"a\",\"data\":\"x\",\"clientId\":true}"))
                        .header("Authorization", full));
        clientError(
                "publish: extras a string",
                req("POST", pub, "application/json", utf8("{\"name\":\"a\",\"data\":\"x\",\"extras\":\"no\"}"))
                        .header("Authorization", full));
        clientError(
                "publish: array with a number",
                req("POST", pub, "application/json", utf8("[{\"name\":\"a\",\"data\":\"x\"},7]"))
                        .header("Authorization", full));
        clientError(
                "publish: msgpack name a number",
                req("POST", pub, "application/x-msgpack", Json.writeMsgpack(java.util.Map.of("name", 5, "data", "x")))
                        .header("Authorization", full));
        exact(
                "publish: message over maxMessageSize (70 KB data)",
                req("POST", pub, "application/json", utf8("{\"name\":\"a\",\"data\":\"" + "b".repeat(70_000) + "\"}"))
                        .header("Authorization", full),
                413,
                40009);

        // batch publish and batch presence
        clientError(
                "batch publish: channels an object",
                req(
                                "POST",
                                "/messages",
                                "application/json",
                                utf8("{\"channels\":{\"a\":1},\"messages\":{\"data\":\"x\"}}"))
                        .header("Authorization", full));
        clientError(
                "batch publish: messages missing",
                req("POST", "/messages", "application/json", utf8("[{\"channels\":[\"chat:a\"]}]"))
                        .header("Authorization", full));
        noServerError(
                "batch publish: channel name a number",
                req(
                                "POST",
                                "/messages",
                                "application/json",
                                utf8("[{\"channels\":[5],\"messages\":[{\"data\":\"x\"}]}]"))
                        .header("Authorization", full));
        clientError(
                "batch presence: channels missing",
                req("GET", "/presence", null, null).header("Authorization", full));
        clientError(
                "batch presence: channels empty",
                req("GET", "/presence?channels=", null, null).header("Authorization", full));

        // query parameters
        for (String path : List.of("/channels/chat:bad/messages", "/channels/chat:bad/presence/history")) {
            clientError(
                    "GET " + path + "?limit=abc",
                    req("GET", path + "?limit=abc", null, null).header("Authorization", full));
            clientError(
                    "GET " + path + "?limit=-1",
                    req("GET", path + "?limit=-1", null, null).header("Authorization", full));
            clientError(
                    "GET " + path + "?start=yesterday",
                    req("GET", path + "?start=yesterday", null, null).header("Authorization", full));
            clientError(
                    "GET " + path + "?end=99999999999999999999999",
                    req("GET", path + "?end=99999999999999999999999", null, null)
                            .header("Authorization", full));
        }
        for (String path : List.of("/channels/chat:bad/messages", "/channels/chat:bad/presence/history")) {
            clientError(
                    "GET " + path + "?direction=sideways",
                    req("GET", path + "?direction=sideways", null, null).header("Authorization", full));
            clientError(
                    "GET " + path + "?start after end",
                    req("GET", path + "?start=2000&end=1000", null, null).header("Authorization", full));
        }
        clientError(
                "GET /channels/chat:bad/presence?limit=abc",
                req("GET", "/channels/chat:bad/presence?limit=abc", null, null).header("Authorization", full));

        // credentials
        String hist = "/channels/chat:bad/messages";
        clientError("no Authorization", req("GET", hist, null, null));
        clientError("Basic not base64", req("GET", hist, null, null).header("Authorization", "Basic !!!"));
        clientError(
                "Basic without a secret",
                req("GET", hist, null, null)
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(utf8("test.full"))));
        clientError(
                "Basic with an empty secret",
                req("GET", hist, null, null)
                        .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(utf8("test.full:"))));
        clientError(
                "Basic of an unknown key",
                req("GET", hist, null, null)
                        .header("Authorization", basic(new ApiKey("test", "nokey", server.full.secret()))));
        clientError(
                "Basic of an unknown app",
                req("GET", hist, null, null)
                        .header("Authorization", basic(new ApiKey("noapp", "k", server.full.secret()))));
        clientError("Bearer empty", req("GET", hist, null, null).header("Authorization", "Bearer "));
        clientError("Bearer garbage", req("GET", hist, null, null).header("Authorization", "Bearer %%%%"));
        clientError("unknown scheme", req("GET", hist, null, null).header("Authorization", "Negotiate abc"));
        clientError(
                "Bearer of 12 KB",
                req("GET", hist, null, null).header("Authorization", "Bearer " + "x".repeat(12_000)));
        noServerError(
                "publish with X-Ably-ClientId not base64",
                req("POST", hist, "application/json", utf8("{\"name\":\"a\",\"data\":\"x\"}"))
                        .header("Authorization", full)
                        .header("X-Ably-ClientId", "%%%"));

        // paths
        clientError("/keys/../requestToken", req("POST", "/keys/../requestToken", "application/json", utf8("{}")));
        clientError(
                "/keys/%2e%2e/requestToken", req("POST", "/keys/%2e%2e/requestToken", "application/json", utf8("{}")));
        clientError(
                "/keys/ + encoded slash + requestToken",
                req("POST", "/keys/test.full%2FrequestToken", "application/json", utf8("{}")));
        clientError("/keys//requestToken", req("POST", "/keys//requestToken", "application/json", utf8("{}")));
        clientError("/nope", req("GET", "/nope", null, null));
        clientError("/channels", req("GET", "/channels/", null, null).header("Authorization", full));
        clientError(
                "/channels/x/messages/extra/segments",
                req("GET", "/channels/chat:x/messages/a/b/c", null, null).header("Authorization", full));
        clientError(
                "path of 20 KB",
                req("GET", "/channels/" + "a".repeat(20_000) + "/messages", null, null)
                        .header("Authorization", full));
        clientError("header of 20 KB", req("GET", "/time", null, null).header("X-Big", "h".repeat(20_000)));
        noServerError(
                "channel name of 8 KB",
                req("GET", "/channels/chat:" + "a".repeat(8_000) + "/messages", null, null)
                        .header("Authorization", full));
        noServerError(
                "NUL in a channel name",
                req("GET", "/channels/chat%00x/messages", null, null).header("Authorization", full));
        noServerError(
                "channel name with [qualifier",
                req("GET", "/channels/%5Bfoo/messages", null, null).header("Authorization", full));
        noServerError("//time", req("GET", "//time", null, null));

        // methods
        clientError("FOO /time", req("FOO", "/time", null, null));
        clientError("DELETE /time", req("DELETE", "/time", null, null));
        clientError("POST /time", req("POST", "/time", "application/json", utf8("{}")));
        clientError(
                "PUT /channels/x/messages",
                req("PUT", "/channels/chat:x/messages", "application/json", utf8("{}"))
                        .header("Authorization", full));
        clientError("GET /keys/k/requestToken", req("GET", rt, null, null));
        clientError(
                "PATCH /keys/k/revokeTokens",
                req("PATCH", rv, "application/json", utf8("{}")).header("Authorization", rvAuth));
        clientError(
                "DELETE /channels/x",
                req("DELETE", "/channels/chat:x", null, null).header("Authorization", full));
        return List.copyOf(CASES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void request_badInput_ablyClientError(Case c) {
        Http.Response r = Http.send(c.request());
        switch (c.expect()) {
            case EXACT -> Http.assertAblyError(r, c.status(), c.code());
            case CLIENT_ERROR -> Http.assertClientError(r);
            case NOT_SERVER_ERROR -> {
                assertThat(r.status()).as("%s", r).isLessThan(500);
                if (r.status() >= 400) {
                    Http.assertClientError(r);
                }
            }
        }
    }

    // ---- bodies over the 512 KiB limit (413/40009) ----

    /**
     * Over a raw socket the client sends the headers (Content-Length, or chunks) and only part of the body, then waits:
     * no unread bytes are left in the server's socket when it answers and closes, so the answer cannot be lost to a
     * reset and this check is deterministic.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("posts")
    void rawHttp_contentLengthOver512KiB_ably413(Post p) throws IOException {
        String head = "POST " + p.path() + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + (p.auth() == null ? "" : "Authorization: " + p.auth() + "\r\n")
                + "Content-Length: " + (LIMIT + 100 * 1024) + "\r\n\r\n";
        String response = exchange(head + "{\"name\":\"x\",\"data\":\"" + "a".repeat(1000));
        assertAbly413(head, response);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("posts")
    void rawHttp_chunkedBodyOver512KiB_ably413(Post p) throws IOException {
        String head = "POST " + p.path() + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + (p.auth() == null ? "" : "Authorization: " + p.auth() + "\r\n")
                + "Transfer-Encoding: chunked\r\n\r\n";
        StringBuilder body = new StringBuilder();
        String chunk = "a".repeat(64 * 1024);
        for (int i = 0; i < 9; i++) { // 576 KiB, no terminating chunk: the client then waits
            body.append(Integer.toHexString(chunk.length()))
                    .append("\r\n")
                    .append(chunk)
                    .append("\r\n");
        }
        String response = exchange(head + body);
        assertAbly413(head, response);
    }

    private static void assertAbly413(String request, String response) {
        assertThat(response).as("an answer to %s", request).isNotEmpty();
        assertThat(statusOf(response)).as("%s -> %s", request, response).isEqualTo(413);
        assertThat(response.toLowerCase(Locale.ROOT))
                .as("%s", response)
                .contains("content-type: application/json")
                .contains("x-ably-errorcode: 40009");
        assertThat(response).as("%s", response).contains("\"code\":40009").contains("\"statusCode\":413");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("posts")
    void request_bodyOver512KiBSentWhole_clientReads413(Post p) {
        byte[] body = utf8("{\"name\":\"x\",\"data\":\"" + "a".repeat(4 * 1024 * 1024) + "\"}");
        for (int i = 0; i < 10; i++) {
            HttpRequest.Builder b = req("POST", p.path(), "application/json", body);
            if (p.auth() != null) {
                b.header("Authorization", p.auth());
            }
            Http.assertAblyError(Http.send(b.build()), 413, 40009);
        }
    }

    /**
     * A body over the limit announced with {@code Expect: 100-continue} is refused before it is sent. The answer
     * carries the error in the X-Ably headers only, with an empty body: the JDK's HttpClient (17) hangs, past its own
     * request timeout, when a refusal of an Expect: 100-continue request has a body.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("posts")
    void request_bodyOver512KiBWithExpectContinue_ably413(Post p) {
        HttpRequest.Builder b = req(
                        "POST",
                        p.path(),
                        "application/json",
                        utf8("{\"name\":\"x\",\"data\":\"" + "a".repeat(LIMIT + 1024) + "\"}"))
                .expectContinue(true);
        if (p.auth() != null) {
            b.header("Authorization", p.auth());
        }
        Http.Response r = Http.send(b.build());
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.header("X-Ably-Errorcode")).isEqualTo("40009");
        assertThat(r.header("X-Ably-Errormessage")).contains("larger than the limit");
    }

    @Test
    void rawHttp_bodyOver512KiBFromBrowserOrigin_corsHeaders() throws IOException {
        String head = "POST /channels/chat:bad/messages HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Origin: https://app.example.com\r\nAuthorization: " + basic(server.full) + "\r\n"
                + "Content-Length: " + (LIMIT + 100 * 1024) + "\r\n\r\n";
        String response = exchange(head + "{\"name\":\"x\"");
        assertAbly413(head, response);
        assertThat(response.toLowerCase(Locale.ROOT))
                .as("%s", response)
                .contains("access-control-allow-origin: https://app.example.com")
                .contains("access-control-allow-credentials: true")
                .contains("access-control-expose-headers:");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "limit=abc",
                "limit=-1",
                "limit=100000",
                "start=yesterday",
                "end=99999999999999999999999",
                "unit=century",
                "direction=sideways",
                "start=2000&end=1000"
            })
    void stats_invalidQueryParameter_ablyClientError(String query) {
        Http.assertClientError(Http.get(server.uri("/stats?" + query), "Authorization", basic(server.full)));
    }

    // ---- legitimate but unusual channel names must work ----

    @ParameterizedTest
    @ValueSource(strings = {"chat:a/b", "chat:ünï cödé", "chat:with%percent", "chat:?&#="})
    void publishAndHistory_encodedChannelName_roundTrip(String channel) {
        String path = "/channels/"
                + java.net.URLEncoder.encode(channel, StandardCharsets.UTF_8).replace("+", "%20") + "/messages";
        Http.Response p =
                Http.postJson(server.uri(path), "{\"name\":\"n\",\"data\":\"d\"}", "Authorization", basic(server.full));
        assertThat(p.status()).as("%s", p).isBetween(200, 201);
        Http.Response h = Http.get(server.uri(path), "Authorization", basic(server.full), "Accept", "application/json");
        assertThat(h.status()).as("%s", h).isEqualTo(200);
        assertThat(h.json().size()).as("%s", h).isEqualTo(1);
        assertThat(h.json().get(0).path("data").asText()).isEqualTo("d");
    }

    // ---- malformed HTTP over a raw socket ----

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GARBAGE\r\n\r\n",
                "GET\r\n\r\n",
                "GET /time HTTP/1.1\r\nHost: x\r\nBad Header Without Colon\r\n\r\n",
                "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
                "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
                "POST /messages HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nZZZ\r\nxx\r\n0\r\n\r\n",
                "POST /messages HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
            })
    void rawHttp_malformedRequest_ablyClientErrorOrClose(String raw) throws IOException {
        String response = exchange(raw);
        if (response.isEmpty()) {
            return; // the server closed the connection without answering: acceptable for garbage, no hang
        }
        assertAblyClientError(raw, response);
    }

    /**
     * Paths java.net.URI refuses to build, sent as raw bytes: the server may serve them or refuse them with a 4xx, but
     * must answer and never with a 5xx.
     */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "/channels/chat%ZZ/messages",
                "/channels/chat%E0%A4%A/messages",
                "/channels/chat%/messages",
                "/channels/chat%ZZ",
                "/channels/chat%ZZ/presence",
            })
    void rawHttp_invalidPercentEncodingInPath_noServerError(String path) throws IOException {
        rawGetNoServerError(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/time?x=%ZZ", "/channels/chat:x/messages?limit=%", "/stats?unit=%E0%A4%A"})
    void rawHttp_invalidPercentEncodingInQuery_noServerError(String path) throws IOException {
        rawGetNoServerError(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/channels/chat%C3%28/messages", "/keys/%ZZ/requestToken"})
    void rawHttp_oddButDecodablePath_noServerError(String path) throws IOException {
        rawGetNoServerError(path);
    }

    private static void rawGetNoServerError(String path) throws IOException {
        String raw = "GET " + path + " HTTP/1.1\r\nHost: x\r\nAuthorization: " + basic(server.full) + "\r\n\r\n";
        String response = exchange(raw);
        assertThat(response).as("an answer to %s", path).isNotEmpty();
        int status = statusOf(response);
        assertThat(status).as("%s -> %s", path, response).isLessThan(500);
        if (status >= 400) {
            assertAblyClientError(raw, response);
        }
    }

    private static int statusOf(String response) {
        return Integer.parseInt(response.substring(0, response.indexOf("\r\n")).split(" ")[1]);
    }

    private static void assertAblyClientError(String raw, String response) {
        int status = statusOf(response);
        assertThat(status).as("%s -> %s", raw, response).isBetween(400, 499);
        assertThat(response.toLowerCase(Locale.ROOT))
                .as("Ably error headers: %s", response)
                .contains("content-type: application/json")
                .contains("x-ably-errorcode:");
        assertThat(response).as("Ably error body: %s", response).contains("{\"error\":{");
    }

    /** Sends raw bytes on a new connection; the response text, or "" if the server closed without answering. */
    private static String exchange(String raw) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            try {
                return readResponse(s.getInputStream());
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 10 s to " + raw.replace("\r\n", "\\r\\n"));
            }
        }
    }

    /** Reads until the server closes or a complete response with Content-Length has arrived. */
    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (true) {
            int n;
            try {
                n = in.read(chunk);
            } catch (java.net.SocketException e) {
                break; // reset after the answer
            }
            if (n < 0) {
                break;
            }
            buf.write(chunk, 0, n);
            String s = buf.toString(StandardCharsets.ISO_8859_1);
            int end = s.indexOf("\r\n\r\n");
            if (end >= 0) {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                        .matcher(s);
                if (m.find() && s.length() - end - 4 >= Integer.parseInt(m.group(1))) {
                    break;
                }
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void manyBadRequests_serverStillServesRealtimeAndRest() {
        for (int i = 0; i < 50; i++) {
            Http.send(req("POST", "/channels/chat:bad/messages", "application/json", utf8("{\"name\":"))
                    .header("Authorization", basic(server.full))
                    .build());
        }
        Http.Response ok = Http.postJson(
                server.uri("/channels/chat:good/messages"),
                "{\"name\":\"n\",\"data\":\"d\"}",
                "Authorization",
                basic(server.full));
        assertThat(ok.status()).as("%s", ok).isBetween(200, 201);
    }
}

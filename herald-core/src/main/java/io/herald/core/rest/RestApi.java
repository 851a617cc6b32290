package io.herald.core.rest;

import io.herald.core.internal.AblyException;
import io.herald.core.internal.Stages;
import io.herald.core.observe.Observer;
import io.herald.core.security.RateLimits;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.ErrorInfo;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes REST requests (docs/protocol.md §10.1) and shapes every answer: the client's format, Ably errors with
 * {@code X-Ably-Errorcode}/{@code X-Ably-Errormessage} and a JSON body with {@code Content-Type: application/json}
 * exactly (§10.3), the {@code envelope=json} form browsers ask for (§9.2), and CORS (§10.4). A failure is never a 500
 * unless it is a bug, and then it says so without leaking details.
 */
public final class RestApi {
    private static final Logger LOG = LoggerFactory.getLogger(RestApi.class);
    private static final String EXPOSED = "Link, X-Ably-Errorcode, X-Ably-Errormessage, X-Ably-Serverid";
    private static final String ALLOWED_HEADERS = "Authorization, Content-Type, Accept, X-Ably-Version, Ably-Agent, "
            + "X-Ably-ClientId, X-Ably-Lib, X-Requested-With";

    private final RestResources resources;
    private final String serverId;
    private final Observer observer;
    private final RateLimits rateLimits;

    public RestApi(RestResources resources, String serverId, Observer observer, RateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.resources = resources;
        this.serverId = serverId;
        this.observer = observer;
    }

    public CompletionStage<RestResponse> handle(RestRequest request) {
        long started = System.nanoTime();
        return handleTimed(request).whenComplete((r, t) -> {
            if (r != null) {
                observer.restRequest(request.method(), route(request.path()), r.status(), System.nanoTime() - started);
            }
        });
    }

    /** A low-cardinality name for a path, for metrics: {@code /channels/*} /messages and so on. */
    static String route(String path) {
        List<String> s = split(path);
        if (s.isEmpty()) {
            return "/";
        }
        return switch (s.get(0)) {
            case "channels" -> s.size() <= 1 ? "/channels" : s.size() == 2 ? "/channels/{name}"
                    : "/channels/{name}/" + String.join("/", s.subList(2, Math.min(s.size(), 4)));
            case "keys" -> s.size() == 3 ? "/keys/{keyName}/" + s.get(2) : "/keys";
            case "apps" -> s.size() == 1 ? "/apps" : "/apps/{id}";
            case "time", "messages", "presence", "stats", "health" -> "/" + String.join("/", s.subList(0,
                    Math.min(s.size(), 2)));
            default -> "other";
        };
    }

    private CompletionStage<RestResponse> handleTimed(RestRequest request) {
        CompletionStage<RestResponse> result;
        if (request.method().equals("OPTIONS")) {
            result = CompletableFuture.completedFuture(preflight(request));
        } else {
            result = Stages.guard(() -> route(request));
        }
        return result.handle((response, failure) -> {
            RestResponse r = failure == null ? response : error(request, failure);
            return finish(request, r);
        });
    }

    private CompletionStage<RestResponse> route(RestRequest request) {
        String path = request.path();
        if (path.isEmpty() || path.charAt(0) != '/') {
            throw new AblyException(ErrorCode.BAD_REQUEST, "Invalid path");
        }
        List<String> segments = split(path);
        RestCall call = new RestCall(request, segments, rateLimits);
        String m = request.method();
        int n = segments.size();
        String s0 = n > 0 ? segments.get(0) : "";
        switch (s0) {
            case "time" -> {
                if (n == 1) {
                    return only(m, "GET", () -> resources.time(call));
                }
            }
            case "keys" -> {
                if (n == 3 && segments.get(2).equals("requestToken")) {
                    return only(m, "POST", () -> resources.requestToken(call));
                }
                if (n == 3 && segments.get(2).equals("revokeTokens")) {
                    return only(m, "POST", () -> resources.revokeTokens(call));
                }
            }
            case "channels" -> {
                if (n == 2) {
                    return only(m, "GET", () -> resources.channels().status(call));
                }
                if (n == 3 && segments.get(2).equals("messages")) {
                    if (m.equals("POST")) {
                        return resources.channels().publish(call);
                    }
                    return only(m, "GET", () -> resources.channels().history(call));
                }
                if (n == 3 && segments.get(2).equals("history")) {
                    // ably-java's realtime Channel.history() asks /channels/{name}/history (an alias of /messages)
                    return only(m, "GET", () -> resources.channels().history(call));
                }
                if (n == 3 && segments.get(2).equals("presence")) {
                    return only(m, "GET", () -> resources.channels().presence(call));
                }
                if (n == 4 && segments.get(2).equals("presence") && segments.get(3).equals("history")) {
                    return only(m, "GET", () -> resources.channels().presenceHistory(call));
                }
            }
            case "messages" -> {
                if (n == 1) {
                    return only(m, "POST", () -> resources.batch().publish(call));
                }
            }
            case "presence" -> {
                if (n == 1) {
                    return only(m, "GET", () -> resources.batch().presence(call));
                }
            }
            case "stats" -> {
                if (n == 1) {
                    if (m.equals("POST") && resources.sandbox() != null) {
                        return resources.sandbox().postStats(call);
                    }
                    return only(m, "GET", () -> resources.stats(call));
                }
            }
            case "apps" -> {
                if (resources.sandbox() != null) {
                    if (n == 1) {
                        return only(m, "POST", () -> resources.sandbox().createApp(call));
                    }
                    if (n == 2) {
                        return only(m, "DELETE", () -> resources.sandbox().deleteApp(call));
                    }
                }
            }
            case "health" -> {
                if (n == 2 && segments.get(1).equals("live")) {
                    return only(m, "GET", () -> resources.live(call));
                }
                if (n == 2 && segments.get(1).equals("ready")) {
                    return only(m, "GET", () -> resources.ready(call));
                }
            }
            default -> { }
        }
        throw new AblyException(ErrorCode.NOT_FOUND, "Not found: " + m + " " + truncate(path, 200));
    }

    private static CompletionStage<RestResponse> only(String method, String allowed,
                                                      java.util.function.Supplier<CompletionStage<RestResponse>> h) {
        if (method.equals(allowed) || (allowed.equals("GET") && method.equals("HEAD"))) {
            return h.get();
        }
        throw new AblyException(ErrorCode.METHOD_NOT_ALLOWED, "Method " + method + " not allowed; use " + allowed);
    }

    static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        int i = 1;
        while (i <= path.length()) {
            int j = path.indexOf('/', i);
            if (j < 0) {
                j = path.length();
            }
            if (j > i) {
                out.add(path.substring(i, j));
            }
            i = j + 1;
        }
        return out;
    }

    /** An Ably error response (docs/protocol.md §10.3). Errors always have a JSON body, which both SDKs read. */
    public static RestResponse errorResponse(ErrorInfo e) {
        byte[] body = ProtocolCodec.of(Format.JSON).encodeError(e);
        RestResponse r = new RestResponse(e.statusCode(), "application/json", body);
        r.header("X-Ably-Errorcode", String.valueOf(e.code()));
        r.header("X-Ably-Errormessage", headerSafe(e.message()));
        return r;
    }

    /**
     * An Ably error answered outside the routing (e.g. by the transport for a body over the limit), with the same
     * CORS and server headers as every other response.
     */
    public RestResponse transportError(ErrorInfo e, String origin) {
        RestResponse r = errorResponse(e);
        RestRequest pseudo = new RestRequest("POST", "/", Map.of(),
                origin == null ? Map.of() : Map.of("origin", origin), null, "");
        cors(pseudo, r);
        r.header("X-Ably-Serverid", serverId);
        return r;
    }

    private RestResponse error(RestRequest request, Throwable failure) {
        if (!AblyException.isExpected(failure)) {
            LOG.error("REST {} {} failed", request.method(), truncate(request.path(), 200), AblyException.unwrap(failure));
        }
        ErrorInfo e = AblyException.errorOf(failure);
        if (e.statusCode() == 401 || e.code() == 40400) {
            observer.authFailed(e);
        }
        return errorResponse(e);
    }

    private RestResponse finish(RestRequest request, RestResponse r) {
        if ("json".equals(request.query().get("envelope")) && !request.method().equals("OPTIONS")) {
            r = envelope(r);
        }
        cors(request, r);
        r.header("X-Ably-Serverid", serverId);
        return r;
    }

    /** The envelope form (docs/protocol.md §9.2): HTTP 200 with {@code {"statusCode","response","headers":{"link"}}}. */
    private static RestResponse envelope(RestResponse r) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("statusCode", r.status());
        Object inner;
        String ct = r.firstHeader("Content-Type");
        if (r.body().length == 0) {
            inner = null;
        } else if (ct != null && ct.contains("msgpack")) {
            inner = ProtocolCodec.of(Format.MSGPACK).decodeTree(r.body());
        } else {
            inner = ProtocolCodec.of(Format.JSON).decodeTree(r.body());
        }
        env.put("response", inner);
        List<String> links = r.headers().get("Link");
        if (links != null) {
            env.put("headers", Map.of("link", String.join(", ", links)));
        }
        RestResponse out = new RestResponse(200, "application/json", ProtocolCodec.of(Format.JSON).encodeValue(env));
        for (Map.Entry<String, List<String>> h : r.headers().entrySet()) {
            if (h.getKey().startsWith("X-Ably-")) {
                h.getValue().forEach(v -> out.header(h.getKey(), v));
            }
        }
        return out;
    }

    private static void cors(RestRequest request, RestResponse r) {
        String origin = request.header("origin");
        if (origin != null && !origin.isEmpty()) {
            r.header("Access-Control-Allow-Origin", origin);
            r.header("Access-Control-Allow-Credentials", "true");
            r.header("Vary", "Origin");
        } else {
            r.header("Access-Control-Allow-Origin", "*");
        }
        r.header("Access-Control-Expose-Headers", EXPOSED);
    }

    private static RestResponse preflight(RestRequest request) {
        RestResponse r = RestResponse.empty(204);
        r.header("Access-Control-Allow-Methods", "GET, POST, PUT, PATCH, DELETE, OPTIONS");
        String asked = request.header("access-control-request-headers");
        r.header("Access-Control-Allow-Headers", asked != null && !asked.isBlank() ? headerSafe(asked) : ALLOWED_HEADERS);
        r.header("Access-Control-Max-Age", "86400");
        return r;
    }

    /** Header values must be single-line printable ASCII. */
    static String headerSafe(String s) {
        StringBuilder sb = new StringBuilder(Math.min(s.length(), 512));
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        for (byte b : utf8) {
            if (sb.length() >= 512) {
                break;
            }
            int c = b & 0xff;
            sb.append(c >= 0x20 && c < 0x7f ? (char) c : '?');
        }
        return sb.toString();
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }
}

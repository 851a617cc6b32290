package io.herald.core.rest;

import io.herald.core.fault.Faults;
import io.herald.core.internal.AblyException;
import io.herald.core.internal.Stages;
import io.herald.core.observe.AppStats;
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
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
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

    private final String serverId;
    private final Observer observer;
    private final RateLimits rateLimits;
    private volatile RouteTable routes;
    private volatile @Nullable AppStats stats;
    private volatile @Nullable Faults faults;

    public RestApi(RestResources resources, String serverId, Observer observer, RateLimits rateLimits) {
        this.rateLimits = rateLimits;
        this.serverId = serverId;
        this.observer = observer;
        this.routes = RestRoutes.of(resources);
    }

    /** Counts authenticated API requests (succeeded or failed) in the apps' usage statistics. */
    public void countInto(AppStats appStats) {
        this.stats = appStats;
    }

    /** Answers requests an injected {@code rest.fail} or {@code token.requestFail} fault matches (docs/faults.md). */
    public void injectFaults(Faults f) {
        this.faults = f;
    }

    /**
     * Adds a route the transport serves on the same port (the metrics scrape): {@code handler} answers the request as
     * it is, without CORS or server headers and without being counted as a REST request; the route table still
     * answers a wrong method with 405. Call before the port is opened.
     */
    public void mount(String method, String pattern, Function<RestRequest, CompletionStage<RestResponse>> handler) {
        routes = routes.with(new RouteTable.Route(method, pattern, call -> handler.apply(call.request), true));
    }

    /**
     * Adds an API route served like the built-in ones (Ably errors, CORS, envelope, metrics, usage statistics), for a
     * feature that lives outside this package (the Chat API). Call before the port is opened.
     */
    public void route(String method, String pattern, Function<RestCall, CompletionStage<RestResponse>> handler) {
        routes = routes.with(new RouteTable.Route(method, pattern, handler::apply, false));
    }

    public CompletionStage<RestResponse> handle(RestRequest request) {
        long started = System.nanoTime();
        if (request.method().equals("OPTIONS")) {
            return observed(
                    request,
                    routeName(request.path()),
                    started,
                    CompletableFuture.completedFuture(finish(request, preflight(request))));
        }
        if (request.path().isEmpty() || request.path().charAt(0) != '/') {
            return observed(request, "other", started, answer(request, () -> {
                throw new AblyException(ErrorCode.BAD_REQUEST, "Invalid path");
            }));
        }
        List<String> segments = split(request.path());
        String m = request.method();
        RouteTable.Match match = routes.find(m, segments);
        if (match instanceof RouteTable.Found f) {
            RouteTable.Route r = f.route();
            RestCall call = new RestCall(request, segments, rateLimits);
            if (r.bare()) {
                return Stages.guard(() -> r.handler().handle(call));
            }
            Faults fs = faults;
            ErrorInfo injected = fs == null ? null : fs.restFailure(m, segments, appOf(request, segments));
            if (injected != null) {
                return observed(
                        request,
                        r.pattern(),
                        started,
                        CompletableFuture.completedFuture(finish(request, errorResponse(injected))));
            }
            return observed(
                            request,
                            r.pattern(),
                            started,
                            answer(request, () -> r.handler().handle(call)))
                    .whenComplete((response, t) -> {
                        AppStats s = stats;
                        String app = call.appId;
                        if (s != null
                                && app != null
                                && response != null
                                && !r.pattern().endsWith("/requestToken")) {
                            s.apiRequest(app, response.status() < 400);
                        }
                    });
        }
        if (match instanceof RouteTable.WrongMethod w && !NOT_FOUND_ON_WRONG_METHOD.contains(w.pattern())) {
            String allow = String.join(", ", w.allow());
            RestResponse r = errorResponse(ErrorCode.METHOD_NOT_ALLOWED.info(
                    "Method " + m + " not allowed on " + w.pattern() + "; allowed: " + allow));
            r.header("Allow", allow);
            return observed(request, w.pattern(), started, CompletableFuture.completedFuture(finish(request, r)));
        }
        return observed(request, "other", started, answer(request, () -> {
            throw new AblyException(ErrorCode.NOT_FOUND, "Not found: " + m + " " + truncate(request.path(), 200));
        }));
    }

    /** The app a request is for, as far as its path or Basic credentials tell without authenticating; else null. */
    static @Nullable String appOf(RestRequest request, List<String> segments) {
        String keyName = null;
        if (segments.size() >= 2 && segments.get(0).equals("keys")) {
            keyName = segments.get(1);
        } else {
            String auth = request.header("authorization");
            if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
                try {
                    keyName = new String(
                            java.util.Base64.getDecoder()
                                    .decode(auth.substring(6).trim()),
                            StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return null;
                }
            }
        }
        if (keyName == null) {
            return null;
        }
        int dot = keyName.indexOf('.');
        return dot > 0 ? keyName.substring(0, dot) : null;
    }

    /**
     * Paths where Ably answers a wrong method with 404 (40400) rather than 405: the token endpoint, which ably-js's
     * own tests use as their example of a 404 from {@code rest.request}.
     */
    static final java.util.Set<String> NOT_FOUND_ON_WRONG_METHOD = java.util.Set.of("/keys/{keyName}/requestToken");

    /** A low-cardinality name for a path, for metrics: the pattern of its route ({@code /channels/{name}}), else "other". */
    String routeName(String path) {
        RouteTable.Match match = routes.find("", split(path));
        return match instanceof RouteTable.WrongMethod w ? w.pattern() : "other";
    }

    /** The routes, for tests and tools: method and pattern of each. */
    public List<String> routeNames() {
        return routes.routes().stream().map(r -> r.method() + " " + r.pattern()).toList();
    }

    private CompletionStage<RestResponse> observed(
            RestRequest request, String route, long started, CompletionStage<RestResponse> answer) {
        return answer.whenComplete((r, t) -> {
            if (r != null) {
                observer.restRequest(request.method(), route, r.status(), System.nanoTime() - started);
            }
        });
    }

    /** Runs a handler and shapes its answer or its failure. */
    private CompletionStage<RestResponse> answer(RestRequest request, Supplier<CompletionStage<RestResponse>> h) {
        return Stages.guard(h).handle((response, failure) -> {
            RestResponse r = failure == null ? response : error(request, failure);
            return finish(request, r);
        });
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
    public RestResponse transportError(ErrorInfo e, @Nullable String origin) {
        return transportResponse(errorResponse(e), origin);
    }

    /**
     * A response made outside the routing (e.g. by a realtime transport over HTTP), given the same CORS and server
     * headers as every other response.
     */
    public RestResponse transportResponse(RestResponse r, @Nullable String origin) {
        RestRequest pseudo = new RestRequest(
                "POST", "/", Map.of(), origin == null ? Map.of() : Map.of("origin", origin), new byte[0], "");
        cors(pseudo, r);
        r.header("X-Ably-Serverid", serverId);
        return r;
    }

    private RestResponse error(RestRequest request, Throwable failure) {
        if (!AblyException.isExpected(failure)) {
            LOG.error(
                    "REST {} {} failed",
                    request.method(),
                    truncate(request.path(), 200),
                    AblyException.unwrap(failure));
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

    /**
     * The envelope form (docs/protocol.md §9.2): HTTP 200 with {@code {"statusCode","response","headers":{…}}}. The
     * headers carry {@code link} and, for an error, {@code x-ably-errorcode} and {@code x-ably-errormessage}: browser
     * ably-js takes an enveloped error for an Ably error (with its code) only when those are among them.
     */
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
        Map<String, String> headers = new LinkedHashMap<>();
        List<String> links = r.headers().get("Link");
        if (links != null) {
            headers.put("link", String.join(", ", links));
        }
        for (String name : List.of("X-Ably-Errorcode", "X-Ably-Errormessage")) {
            String value = r.firstHeader(name);
            if (value != null) {
                headers.put(name.toLowerCase(Locale.ROOT), value);
            }
        }
        if (!headers.isEmpty()) {
            env.put("headers", headers);
        }
        RestResponse out = new RestResponse(
                200, "application/json", ProtocolCodec.of(Format.JSON).encodeValue(env));
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
        r.header(
                "Access-Control-Allow-Headers",
                asked != null && !asked.isBlank() ? headerSafe(asked) : ALLOWED_HEADERS);
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

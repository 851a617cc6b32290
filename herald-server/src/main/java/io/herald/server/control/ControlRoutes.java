package io.herald.server.control;

import io.herald.core.HeraldNode;
import io.herald.core.fault.Fault;
import io.herald.core.fault.Faults;
import io.herald.core.internal.AblyException;
import io.herald.core.rest.RestApi;
import io.herald.core.rest.RestRequest;
import io.herald.core.rest.RestResponse;
import io.herald.protocol.ErrorCode;
import io.herald.protocol.Format;
import io.herald.protocol.ProtocolCodec;
import io.herald.server.logging.AuditLog;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fault control API (docs/faults.md), mounted in the node's REST route table only with {@code control.token} or
 * in sandbox mode; otherwise {@code /control/...} is an unknown path (404).
 *
 * <ul>
 *   <li>{@code POST /control/faults}: inject a fault ({@link FaultRequest}); 201 with the fault;
 *   <li>{@code GET /control/faults[?appId=]}: the active faults, {@code {"faults":[...]}};
 *   <li>{@code DELETE /control/faults/{id}}: clear one (204, or 404 when it is not active);
 *   <li>{@code DELETE /control/faults[?appId=]}: clear all (of one app), {@code {"cleared":n}}.
 * </ul>
 *
 * Every request needs {@code Authorization: Bearer <control token>} (compared in constant time); anything else (no
 * header, an app's key as Basic auth, an app's token, another bearer) gets 401 40100 before the request is looked at.
 * The routes are never themselves subject to injected REST faults. Every injection and clearing goes to the audit log.
 */
public final class ControlRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ControlRoutes.class);
    static final String BASE = "/control/faults";

    private final byte[] token;
    private final HeraldNode node;
    private final Faults faults;
    private final AuditLog audit;

    private ControlRoutes(String token, HeraldNode node, AuditLog audit) {
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.node = node;
        this.faults = node.faults();
        this.audit = audit;
    }

    /** Mounts the control routes on {@code node}, before its port is opened. */
    public static void mount(HeraldNode node, String token, AuditLog audit) {
        ControlRoutes routes = new ControlRoutes(token, node, audit);
        node.mountRoute("POST", BASE, routes.guarded(routes::inject));
        node.mountRoute("GET", BASE, routes.guarded(routes::list));
        node.mountRoute("DELETE", BASE, routes.guarded(routes::clearAll));
        node.mountRoute("DELETE", BASE + "/{id}", routes.guarded(routes::clear));
    }

    private Function<RestRequest, CompletionStage<RestResponse>> guarded(Function<RestRequest, RestResponse> route) {
        return request -> {
            RestResponse r;
            if (!authorized(request.header("authorization"))) {
                r = RestApi.errorResponse(ErrorCode.UNAUTHORIZED.info(
                        "The control API needs Authorization: Bearer <control token>; app keys and tokens are "
                                + "not accepted"));
                r.header("WWW-Authenticate", "Bearer realm=\"herald-control\"");
            } else {
                try {
                    r = route.apply(request);
                } catch (AblyException e) {
                    r = RestApi.errorResponse(e.error());
                } catch (Faults.TooManyFaults e) {
                    r = RestApi.errorResponse(ErrorCode.TOO_MANY_REQUESTS.info(
                            "At most " + Faults.MAX_ACTIVE + " faults may be active; clear some first"));
                } catch (RuntimeException e) {
                    LOG.error("{} {} failed", request.method(), request.path(), e);
                    r = RestApi.errorResponse(ErrorCode.INTERNAL_ERROR.info("Internal error"));
                }
            }
            return CompletableFuture.completedFuture(
                    r.header("Cache-Control", "no-store").header("X-Content-Type-Options", "nosniff"));
        };
    }

    private boolean authorized(@Nullable String auth) {
        if (auth == null || !auth.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(auth.substring(7).trim().getBytes(StandardCharsets.UTF_8), token);
    }

    private RestResponse inject(RestRequest request) {
        Fault.Spec spec = FaultRequest.parse(request.body(), app -> node.keys().app(app) != null);
        Fault f = faults.inject(spec);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("faultId", f.id());
        fields.put("kind", f.kind().wireName());
        fields.put("appId", f.appId());
        putIf(fields, "connectionId", spec.connectionId());
        putIf(fields, "clientId", spec.clientId());
        putIf(fields, "channel", spec.channel());
        putIf(fields, "path", spec.path());
        fields.put("ttlMs", spec.ttlMs());
        audit.fault("inject", fields, request.remoteAddress());
        return json(201, f.toJson(faults.now()));
    }

    private RestResponse list(RestRequest request) {
        List<Object> out = new ArrayList<>();
        long now = faults.now();
        for (Fault f : faults.list(request.query().get("appId"))) {
            out.add(f.toJson(now));
        }
        return json(200, Map.of("faults", out));
    }

    private RestResponse clear(RestRequest request) {
        String path = request.path();
        String id = path.substring(path.lastIndexOf('/') + 1);
        if (!faults.remove(id)) {
            throw new AblyException(ErrorCode.NOT_FOUND, "No active fault with id '" + clip(id) + "'");
        }
        audit.fault("clear", Map.of("faultId", id), request.remoteAddress());
        return RestResponse.empty(204);
    }

    private RestResponse clearAll(RestRequest request) {
        String appId = request.query().get("appId");
        int n = faults.clear(appId);
        Map<String, Object> fields = new LinkedHashMap<>();
        putIf(fields, "appId", appId);
        fields.put("cleared", n);
        audit.fault("clearAll", fields, request.remoteAddress());
        return json(200, Map.of("cleared", n));
    }

    private static void putIf(Map<String, Object> m, String k, @Nullable Object v) {
        if (v != null) {
            m.put(k, v);
        }
    }

    private static RestResponse json(int status, Object body) {
        return new RestResponse(
                status, "application/json", ProtocolCodec.of(Format.JSON).encodeValue(body));
    }

    private static String clip(String s) {
        return s.length() <= 64 ? s : s.substring(0, 64) + "…";
    }
}

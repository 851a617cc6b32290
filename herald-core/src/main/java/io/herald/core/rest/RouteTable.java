package io.herald.core.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Every REST route in one table: an HTTP method and a path pattern to the handler that answers it. A pattern is a
 * list of segments, where {@code {name}} matches any one segment ({@code /channels/{name}/messages}). A {@code GET}
 * route also answers {@code HEAD}. {@link #find} tells apart a request it can route, a known path asked with a method
 * it has no route for (405, with the methods that do), and an unknown path (404). Immutable: {@link #with} returns a
 * new table.
 */
final class RouteTable {

    /** What answers one route. */
    @FunctionalInterface
    interface Handler {
        CompletionStage<RestResponse> handle(RestCall call);
    }

    /**
     * One route.
     *
     * @param method  upper case
     * @param pattern e.g. {@code /keys/{keyName}/requestToken}; also the route's name in metrics
     * @param bare    the answer is sent as the handler made it: no CORS or server headers, no envelope, not counted
     *                in the REST metrics (an endpoint that is not part of the Ably API, such as the metrics scrape)
     */
    record Route(String method, String pattern, Handler handler, boolean bare) {
        List<String> segments() {
            return RestApi.split(pattern);
        }

        boolean answers(String m) {
            return method.equals(m) || (method.equals("GET") && m.equals("HEAD"));
        }
    }

    /** The outcome of a lookup. */
    sealed interface Match {}

    /** A route answers this method and path. */
    record Found(Route route) implements Match {}

    /** The path is known, the method is not: {@code allow} lists the methods that are, for the {@code Allow} header. */
    record WrongMethod(String pattern, List<String> allow) implements Match {}

    /** No route has this path. */
    record NotFound() implements Match {}

    private final List<Route> routes;
    private final List<List<String>> patterns;

    RouteTable(List<Route> routes) {
        this.routes = List.copyOf(routes);
        this.patterns = this.routes.stream().map(Route::segments).toList();
    }

    List<Route> routes() {
        return routes;
    }

    /** This table with one more route. */
    RouteTable with(Route route) {
        List<Route> more = new ArrayList<>(routes);
        more.add(route);
        return new RouteTable(more);
    }

    Match find(String method, List<String> segments) {
        for (int i = 0; i < routes.size(); i++) {
            if (matches(patterns.get(i), segments) && routes.get(i).answers(method)) {
                return new Found(routes.get(i)); // the first route that answers
            }
        }
        return unanswered(segments);
    }

    /** No route answers the method: a 405 with the methods the path's routes allow, or a 404 if none matches. */
    private Match unanswered(List<String> segments) {
        String pattern = null;
        Set<String> allow = new LinkedHashSet<>();
        for (int i = 0; i < routes.size(); i++) {
            if (!matches(patterns.get(i), segments)) {
                continue;
            }
            Route r = routes.get(i);
            if (pattern == null) {
                pattern = r.pattern();
            }
            allow.add(r.method());
            if (r.method().equals("GET")) {
                allow.add("HEAD");
            }
        }
        if (pattern == null) {
            return new NotFound();
        }
        allow.add("OPTIONS"); // the CORS preflight, answered on every path
        return new WrongMethod(pattern, List.copyOf(allow));
    }

    private static boolean matches(List<String> pattern, List<String> segments) {
        if (pattern.size() != segments.size()) {
            return false;
        }
        for (int i = 0; i < pattern.size(); i++) {
            String p = pattern.get(i);
            if (!(p.startsWith("{") && p.endsWith("}")) && !p.equals(segments.get(i))) {
                return false;
            }
        }
        return true;
    }
}

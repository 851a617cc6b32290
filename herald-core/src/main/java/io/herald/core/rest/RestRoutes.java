package io.herald.core.rest;

import io.herald.core.rest.RouteTable.Handler;
import io.herald.core.rest.RouteTable.Route;
import java.util.ArrayList;
import java.util.List;

/** The Ably REST API's routes (docs/protocol.md §10.1), all in one place. */
final class RestRoutes {
    private RestRoutes() {}

    static RouteTable of(RestResources r) {
        List<Route> t = new ArrayList<>();
        t.add(get("/time", r::time));
        t.add(post("/keys/{keyName}/requestToken", r::requestToken));
        t.add(post("/keys/{keyName}/revokeTokens", r::revokeTokens));
        t.add(get("/channels", c -> r.channels().list(c)));
        t.add(get("/channels/{name}", c -> r.channels().status(c)));
        t.add(post("/channels/{name}/messages", c -> r.channels().publish(c)));
        t.add(get("/channels/{name}/messages", c -> r.channels().history(c)));
        // ably-java's realtime Channel.history() asks /channels/{name}/history (an alias of /messages)
        t.add(get("/channels/{name}/history", c -> r.channels().history(c)));
        // mutable messages (RSL11, RSL14, RSL15): the latest version, every version, update/delete/append
        t.add(get(
                "/channels/{name}/messages/{serial}", c -> r.channels().messages.get(c)));
        t.add(new Route(
                "PATCH",
                "/channels/{name}/messages/{serial}",
                c -> r.channels().messages.patch(c),
                false));
        // ably-java 1.5 deletes with a POST here
        t.add(post(
                "/channels/{name}/messages/{serial}/delete",
                c -> r.channels().messages.delete(c)));
        t.add(get(
                "/channels/{name}/messages/{serial}/versions",
                c -> r.channels().messages.versions(c)));
        // message annotations (RSAN1-RSAN3): publish or delete, and read them in pages
        t.add(post(
                "/channels/{name}/messages/{serial}/annotations",
                c -> r.channels().annotations.publish(c)));
        t.add(get(
                "/channels/{name}/messages/{serial}/annotations",
                c -> r.channels().annotations.get(c)));
        // LiveObjects over REST (ably-js RestObject): read the objects, publish operations; /objects is the older name
        for (String base : List.of("/channels/{name}/object", "/channels/{name}/objects")) {
            t.add(get(base, c -> r.channels().objects.get(c)));
            t.add(get(base + "/{objectId}", c -> r.channels().objects.get(c)));
            t.add(post(base, c -> r.channels().objects.publish(c)));
        }
        t.add(get("/channels/{name}/presence", c -> r.channels().presence(c)));
        t.add(get("/channels/{name}/presence/history", c -> r.channels().presenceHistory(c)));
        t.add(post("/messages", c -> r.batch().publish(c)));
        t.add(get("/presence", c -> r.batch().presence(c)));
        t.add(get("/stats", c -> r.stats().get(c)));
        SandboxResource sandbox = r.sandbox();
        if (sandbox != null) {
            t.add(post("/stats", c -> r.stats().postFixtures(c)));
            t.add(post("/apps", sandbox::createApp));
            t.add(new Route("DELETE", "/apps/{id}", sandbox::deleteApp, false));
        }
        t.add(get("/health/live", r::live));
        t.add(get("/health/ready", r::ready));
        return new RouteTable(t);
    }

    private static Route get(String pattern, Handler h) {
        return new Route("GET", pattern, h, false);
    }

    private static Route post(String pattern, Handler h) {
        return new Route("POST", pattern, h, false);
    }
}

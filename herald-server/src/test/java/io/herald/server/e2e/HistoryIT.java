package io.herald.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.ably.lib.realtime.AblyRealtime;
import io.ably.lib.realtime.Channel;
import io.ably.lib.rest.AblyRest;
import io.ably.lib.types.Message;
import io.ably.lib.types.PaginatedResult;
import io.ably.lib.types.Param;
import io.herald.server.e2e.support.AblyJava;
import io.herald.server.e2e.support.Http;
import io.herald.server.e2e.support.NodeScript;
import io.herald.server.e2e.support.TestServer;
import io.herald.server.e2e.support.WireFormat;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * History paging (docs/protocol.md §9.1, §9.2, §6.3 untilAttach): 25 messages on a {@code persisted:} channel read
 * with limit 10 backwards and forwards by ably-js and ably-java following the Link headers, and
 * {@code untilAttach} excluding what was published after the attach.
 */
class HistoryIT {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @RegisterExtension
    static final TestServer server = TestServer.perClass();

    private static String name(int i) {
        return String.format("m%02d", i);
    }

    /** Publishes messages {@code from..to-1} one REST call at a time, so their order is the call order. */
    private static void publish(String channel, String prefix, int from, int to) throws Exception {
        AblyRest rest = AblyJava.rest(AblyJava.withKey(server, true, server.full.keyString()));
        for (int i = from; i < to; i++) {
            rest.channels.get(channel).publish(prefix.equals("m") ? name(i) : prefix + i, "data-" + i);
        }
    }

    private static List<String> names(int from, int toExclusive, boolean backwards) {
        List<String> l = new ArrayList<>(
                IntStream.range(from, toExclusive).mapToObj(HistoryIT::name).toList());
        if (backwards) {
            java.util.Collections.reverse(l);
        }
        return l;
    }

    private static List<List<String>> pageNames(JsonNode pages) {
        List<List<String>> out = new ArrayList<>();
        for (JsonNode p : pages) {
            List<String> names = new ArrayList<>();
            p.path("names").forEach(n -> names.add(n.asText()));
            out.add(names);
        }
        return out;
    }

    private static List<Boolean> hasNext(JsonNode pages) {
        List<Boolean> out = new ArrayList<>();
        pages.forEach(p -> out.add(p.path("hasNext").asBoolean()));
        return out;
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_history25MessagesLimit10_threePagesEachDirection(WireFormat f) throws Exception {
        String channel = "persisted:history-js-" + f;
        publish(channel, "m", 0, 25);
        JsonNode r = NodeScript.run(
                "history.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        f.binary(),
                        "key",
                        server.full.keyString(),
                        "channel",
                        channel,
                        "scenario",
                        "pages",
                        "limit",
                        10),
                Duration.ofSeconds(50));
        assertThat(pageNames(r.path("backwards")))
                .containsExactly(names(15, 25, true), names(5, 15, true), names(0, 5, true));
        assertThat(hasNext(r.path("backwards"))).containsExactly(true, true, false);
        assertThat(r.path("backwards").get(2).path("isLast").asBoolean()).isTrue();
        assertThat(pageNames(r.path("forwards")))
                .containsExactly(names(0, 10, false), names(10, 20, false), names(20, 25, false));
        assertThat(hasNext(r.path("forwards"))).containsExactly(true, true, false);
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_history25MessagesLimit10_threePagesEachDirection(WireFormat f) throws Exception {
        String channel = "persisted:history-java-" + f;
        publish(channel, "m", 0, 25);
        AblyRest rest = AblyJava.rest(AblyJava.withKey(server, f.binary(), server.full.keyString()));
        for (String direction : List.of("backwards", "forwards")) {
            boolean back = direction.equals("backwards");
            PaginatedResult<Message> page = rest.channels
                    .get(channel)
                    .history(new Param[] {new Param("limit", "10"), new Param("direction", direction)});
            List<List<String>> got = new ArrayList<>();
            List<Boolean> more = new ArrayList<>();
            while (page != null) {
                got.add(Arrays.stream(page.items()).map(m -> m.name).toList());
                more.add(page.hasNext());
                assertThat(got.size()).as("Link headers loop").isLessThanOrEqualTo(20);
                page = page.hasNext() ? page.next() : null;
            }
            if (back) {
                assertThat(got).containsExactly(names(15, 25, true), names(5, 15, true), names(0, 5, true));
            } else {
                assertThat(got).containsExactly(names(0, 10, false), names(10, 20, false), names(20, 25, false));
            }
            assertThat(more).containsExactly(true, true, false);
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJs_historyUntilAttach_excludesMessagesAfterAttach(WireFormat f) throws Exception {
        String channel = "persisted:until-js-" + f;
        publish(channel, "m", 0, 25);
        try (NodeScript js = NodeScript.start(
                "history.js",
                Map.of(
                        "port",
                        server.port(),
                        "binary",
                        f.binary(),
                        "key",
                        server.full.keyString(),
                        "channel",
                        channel,
                        "scenario",
                        "untilAttach",
                        "limit",
                        10))) {
            js.await("attached", NodeScript.STARTUP);
            publish(channel, "after-attach-", 0, 5);
            js.send(Map.of("cmd", "go"));
            JsonNode r = js.result(Duration.ofSeconds(30));
            assertThat(pageNames(r.path("pages")))
                    .containsExactly(names(15, 25, true), names(5, 15, true), names(0, 5, true));
        }
    }

    @ParameterizedTest
    @EnumSource(WireFormat.class)
    void ablyJava_historyUntilAttach_excludesMessagesAfterAttach(WireFormat f) throws Exception {
        String channel = "persisted:until-java-" + f;
        publish(channel, "m", 0, 25);
        AblyRealtime rt = AblyJava.connect(AblyJava.withKey(server, f.binary(), server.full.keyString()));
        try {
            Channel ch = rt.channels.get(channel);
            AblyJava.attach(ch);
            publish(channel, "after-attach-", 0, 5);
            PaginatedResult<Message> page =
                    ch.history(new Param[] {new Param("untilAttach", "true"), new Param("limit", "10")});
            List<String> all = new ArrayList<>();
            while (page != null) {
                all.addAll(Arrays.stream(page.items()).map(m -> m.name).toList());
                assertThat(all.size()).as("Link headers loop").isLessThanOrEqualTo(100);
                page = page.hasNext() ? page.next() : null;
            }
            assertThat(all).isEqualTo(names(0, 25, true));
        } finally {
            AblyJava.closeAll(rt);
        }
    }

    /**
     * The Link header the SDKs parse (docs/protocol.md §9.2): one relative {@code ./messages?...} URL per relation, matching ably-js's
     * {@code ^\./\w+\?} and ably-java's {@code \./(.*)\?(.*)}, without a raw ',' or ':' inside the URL.
     */
    @Test
    void history_firstPage_linkHeadersTheSdksCanFollow() throws Exception {
        String channel = "persisted:links";
        publish(channel, "m", 0, 25);
        Http.Response r = Http.get(
                server.uri("/channels/" + channel + "/messages?limit=10"),
                "Authorization",
                Http.basic(server.full),
                "Accept",
                "application/json");
        assertThat(r.status()).isEqualTo(200);
        List<String> links = r.headers().allValues("Link");
        assertThat(links).as("Link headers").isNotEmpty();
        Pattern link = Pattern.compile("<([^>]*)>; *rel=\"(\\w+)\"");
        String next = null;
        for (String header : links) {
            Matcher m = link.matcher(header);
            int found = 0;
            while (m.find()) {
                found++;
                String url = m.group(1);
                assertThat(url)
                        .as("link URL in %s", header)
                        .matches("^\\./\\w+\\?.*")
                        .doesNotContain(",", ":");
                if (m.group(2).equals("next")) {
                    next = url;
                }
            }
            assertThat(found).as("relations in %s", header).isPositive();
        }
        assertThat(next).as("a rel=\"next\" link: %s", links).isNotNull();
        Http.Response second = Http.get(
                server.uri("/channels/" + channel + "/messages" + next.substring(next.indexOf('?'))),
                "Authorization",
                Http.basic(server.full),
                "Accept",
                "application/json");
        assertThat(second.status()).as("%s", second).isEqualTo(200);
        assertThat(second.json().size()).isEqualTo(10);
        assertThat(second.json().get(0).path("name").asText()).isEqualTo(name(14));
    }
}

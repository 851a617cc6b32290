package io.herald.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The fold of annotations into a summary, one aggregation method at a time (docs/protocol.md §7.10). */
class SummariesTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode tree(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static JsonNode a(String type, String clientId, String name, int action, int count) throws Exception {
        var o = JSON.createObjectNode().put("type", type).put("action", action);
        if (clientId != null) {
            o.put("clientId", clientId);
        }
        if (name != null) {
            o.put("name", name);
        }
        if (count > 0) {
            o.put("count", count);
        }
        return o;
    }

    private static JsonNode fold(JsonNode... annotations) throws Exception {
        return tree(Summaries.fold(List.of(annotations)).toString());
    }

    @Test
    void total_countsCreatesAndDeletes_neverBelowZero() throws Exception {
        String t = "views:total.v1";
        assertThat(fold(a(t, null, null, 0, 0), a(t, "c", null, 0, 0), a(t, "c", null, 0, 0), a(t, "x", null, 1, 0)))
                .isEqualTo(tree("{\"views:total.v1\":{\"total\":2}}"));
        assertThat(fold(a(t, null, null, 1, 0), a(t, null, null, 0, 0)))
                .isEqualTo(tree("{\"views:total.v1\":{\"total\":1}}"));
    }

    @Test
    void flag_onePerClient_deleteRemovesTheClient_emptyTypeIsLeftOut() throws Exception {
        String t = "seen:flag.v1";
        assertThat(fold(a(t, "c1", null, 0, 0), a(t, "c1", null, 0, 0), a(t, "c2", null, 0, 0)))
                .isEqualTo(tree("{\"seen:flag.v1\":{\"total\":2,\"clientIds\":[\"c1\",\"c2\"],\"clipped\":false}}"));
        assertThat(fold(a(t, "c1", null, 0, 0), a(t, "c1", null, 1, 0))).isEqualTo(tree("{}"));
    }

    @Test
    void distinct_perName_andUnique_movesTheClient() throws Exception {
        String d = "r:distinct.v1";
        assertThat(fold(a(d, "c1", "a", 0, 0), a(d, "c1", "b", 0, 0), a(d, "c2", "a", 0, 0), a(d, "c1", "a", 1, 0)))
                .isEqualTo(tree("{\"r:distinct.v1\":{\"a\":{\"total\":1,\"clientIds\":[\"c2\"],\"clipped\":false},"
                        + "\"b\":{\"total\":1,\"clientIds\":[\"c1\"],\"clipped\":false}}}"));
        String u = "s:unique.v1";
        assertThat(fold(a(u, "c1", "a", 0, 0), a(u, "c1", "b", 0, 0)))
                .isEqualTo(tree("{\"s:unique.v1\":{\"b\":{\"total\":1,\"clientIds\":[\"c1\"],\"clipped\":false}}}"));
        assertThat(fold(a(u, "c1", "a", 0, 0), a(u, "c1", null, 1, 0))).isEqualTo(tree("{}"));
    }

    @Test
    void multiple_sumsCounts_perClientAndUnidentified_deleteRemovesTheClientsContribution() throws Exception {
        String m = "votes:multiple.v1";
        assertThat(fold(
                        a(m, "c1", "x", 0, 3),
                        a(m, "c1", "x", 0, 0),
                        a(m, "c2", "x", 0, 2),
                        a(m, null, "x", 0, 5),
                        a(m, "c2", "x", 1, 0)))
                .isEqualTo(tree("{\"votes:multiple.v1\":{\"x\":{\"total\":9,\"clientIds\":{\"c1\":4},"
                        + "\"totalUnidentified\":5,\"clipped\":false,\"totalClientIds\":1}}}"));
    }

    @Test
    void manyClients_areClipped_butCounted() throws Exception {
        List<JsonNode> all = new ArrayList<>();
        for (int i = 0; i < Summaries.MAX_CLIENT_IDS + 5; i++) {
            all.add(a("r:flag.v1", "c" + i, null, 0, 0));
            all.add(a("v:multiple.v1", "c" + i, "x", 0, 0));
        }
        JsonNode s = tree(Summaries.fold(all).toString());
        assertThat(s.at("/r:flag.v1/total").asInt()).isEqualTo(Summaries.MAX_CLIENT_IDS + 5);
        assertThat(s.at("/r:flag.v1/clientIds")).hasSize(Summaries.MAX_CLIENT_IDS);
        assertThat(s.at("/r:flag.v1/clipped").asBoolean()).isTrue();
        assertThat(s.at("/v:multiple.v1/x/totalClientIds").asInt()).isEqualTo(Summaries.MAX_CLIENT_IDS + 5);
        assertThat(s.at("/v:multiple.v1/x/clientIds").size()).isEqualTo(Summaries.MAX_CLIENT_IDS);
        assertThat(s.at("/v:multiple.v1/x/clipped").asBoolean()).isTrue();
    }

    @Test
    void unknownMethods_areNotSummarised() throws Exception {
        assertThat(Summaries.method("a:b.v1")).isNull();
        assertThat(Summaries.method("total.v1")).isNull();
        assertThat(Summaries.method("a:total.v1")).isEqualTo("total.v1");
        assertThat(fold(a("a:b.v1", "c", "n", 0, 0))).isEqualTo(tree("{}"));
    }
}

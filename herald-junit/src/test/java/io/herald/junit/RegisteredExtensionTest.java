package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;

import io.ably.lib.rest.AblyRest;
import io.herald.core.config.AppConfig;
import io.herald.core.config.NamespaceConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The builder with {@code @RegisterExtension}: several apps, namespaces, the sandbox, {@code @Nested} classes. */
class RegisteredExtensionTest {
    @RegisterExtension
    static final HeraldExtension HERALD = HeraldExtension.builder()
            .key("main")
            .mutableMessages("edits")
            .persisted("kept")
            .namespace(new HeraldSetup.Namespace("edits", true, false))
            .app("other", app -> app.key("reader", "{\"*\":[\"subscribe\",\"history\"]}", true))
            .key("second")
            .sandbox(true)
            .build();

    private final HeraldInstance herald;

    RegisteredExtensionTest(HeraldInstance herald) {
        this.herald = herald;
    }

    @Test
    void configuresAppsKeysAndNamespaces() {
        assertThat(herald.keys())
                .extracting(k -> k.keyName())
                .containsExactly("test.main", "test.second", "other.reader");
        assertThat(herald.appId("other")).isEqualTo("other");
        List<AppConfig> apps = herald.server().config().core().apps();
        AppConfig test =
                apps.stream().filter(a -> a.appId().equals("test")).findFirst().orElseThrow();
        assertThat(test.namespace("edits")).isEqualTo(new NamespaceConfig("edits", true, false, true));
        assertThat(test.namespace("kept")).isEqualTo(new NamespaceConfig("kept", true, false, false));
        AppConfig other =
                apps.stream().filter(a -> a.appId().equals("other")).findFirst().orElseThrow();
        assertThat(other.keys().get(0).revocableTokens()).isTrue();
        assertThat(other.keys().get(0).capability().allows("any", "publish")).isFalse();
        assertThat(HERALD.setup()).contains(herald.setup());
    }

    @Test
    void keysOfAnotherAppWork(HeraldAbly ably) throws Exception {
        AblyRest rest = new AblyRest(ably.clientOptions(herald.key("other", "reader")));
        assertThat(rest.channels.get("anything").history(null).items()).isEmpty();
    }

    @Test
    void sandboxProvisioningIsServed() throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(herald.restUri() + "/apps"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString("{\"keys\":[{}]}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(created.statusCode()).as(created.body()).isBetween(200, 299);
        assertThat(created.body()).contains("appId");
    }

    @Nested
    class Inner {
        @Test
        void sharesTheOuterServer(HeraldInstance inner) {
            assertThat(inner.port()).isEqualTo(herald.port());
        }
    }
}

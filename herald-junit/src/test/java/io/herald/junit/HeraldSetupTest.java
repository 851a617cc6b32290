package io.herald.junit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The setup's checks and the builder's defaults, without a server. */
class HeraldSetupTest {

    @Test
    void builderDefaultsToOneFullAccessKeyOnAppTest() {
        HeraldSetup setup = HeraldExtension.builder().setup();
        assertThat(setup.apps()).hasSize(1);
        assertThat(setup.apps().get(0).id()).isEqualTo("test");
        assertThat(setup.apps().get(0).keys()).containsExactly(new HeraldSetup.Key("full", HeraldSetup.ALL, false));
        assertThat(setup.scope()).isEqualTo(Herald.Scope.CLASS);
        assertThat(setup.sandbox()).isFalse();
    }

    @Test
    void firstNamedAppReplacesTheUnusedDefault() {
        HeraldSetup setup = HeraldExtension.builder().app("mine").key("k").setup();
        assertThat(setup.apps()).extracting(HeraldSetup.App::id).containsExactly("mine");
        HeraldSetup two = HeraldExtension.builder().key("k").app("mine").setup();
        assertThat(two.apps()).extracting(HeraldSetup.App::id).containsExactly("test", "mine");
    }

    @Test
    void annotationAndBuilderGiveEqualSetups() {
        Herald herald = Annotated.class.getAnnotation(Herald.class);
        assertThat(HeraldExtension.fromAnnotation(herald))
                .isEqualTo(HeraldExtension.builder()
                        .app("chat")
                        .key("limited", "{\"a\":[\"subscribe\"]}", true)
                        .mutableMessages("m")
                        .persisted("p")
                        .sandbox(true)
                        .sharedForRun()
                        .setup());
        assertThat(new HeraldExtension().setup()).isEmpty();
    }

    @Test
    void invalidSetupsAreRefused() {
        assertThatThrownBy(() -> new HeraldSetup(List.of(), false, Herald.Scope.CLASS))
                .hasMessageContaining("at least one app");
        HeraldSetup.App app =
                new HeraldSetup.App("a", List.of(new HeraldSetup.Key("k", HeraldSetup.ALL, false)), List.of());
        assertThatThrownBy(() -> new HeraldSetup(List.of(app, app), false, Herald.Scope.CLASS))
                .hasMessageContaining("distinct");
        assertThatThrownBy(() -> new HeraldSetup.App("a", List.of(), List.of()))
                .hasMessageContaining("at least one key");
        assertThatThrownBy(() -> HeraldExtension.builder().key("k").key("k").setup())
                .hasMessageContaining("distinct");
        assertThatThrownBy(() -> HeraldExtension.builder().app("a.b").setup()).hasMessageContaining("app id");
        assertThatThrownBy(() -> HeraldExtension.builder().key("k", "not json")).isInstanceOf(RuntimeException.class);
        assertThatThrownBy(() -> HeraldExtension.builder().persisted("")).hasMessageContaining("namespace id");
    }

    @Test
    void yamlQuotesCapabilities() {
        HeraldSetup setup =
                HeraldExtension.builder().key("k", "{\"it's:*\":[\"publish\"]}").setup();
        String yaml = RunningHerald.yaml(
                setup, java.util.Map.of("test", java.util.Map.of("k", io.herald.auth.ApiKey.parse("test.k:secret"))));
        assertThat(yaml).contains("capability: '{\"it''s:*\":[\"publish\"]}'");
    }

    @Herald(
            app = "chat",
            keys = @Herald.Key(name = "limited", capability = "{\"a\":[\"subscribe\"]}", revocableTokens = true),
            mutableMessages = "m",
            persisted = "p",
            sandbox = true,
            scope = Herald.Scope.RUN)
    private static final class Annotated {}
}

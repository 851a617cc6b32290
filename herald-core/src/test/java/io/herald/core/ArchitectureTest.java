package io.herald.core;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package rules of docs/architecture.md §2, checked: higher layers use lower ones only, the engine never sees the hub,
 * sessions or channels, REST never uses sessions, and the core knows nothing of Netty or Redis.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.herald.core");
    }

    @Test
    void layers_dependOnlyDownwards() {
        layeredArchitecture()
                .consideringOnlyDependenciesInLayers()
                .layer("Root")
                .definedBy("io.herald.core")
                .layer("Session")
                .definedBy("io.herald.core.session..")
                .layer("Chat")
                .definedBy("io.herald.core.chat..")
                .layer("Rest")
                .definedBy("io.herald.core.rest..")
                .layer("Fault")
                .definedBy("io.herald.core.fault..")
                .layer("Channel")
                .definedBy("io.herald.core.channel..")
                .layer("Presence")
                .definedBy("io.herald.core.presence..")
                .layer("History")
                .definedBy("io.herald.core.history..")
                .layer("Annotations")
                .definedBy("io.herald.core.annotations..")
                .layer("Security")
                .definedBy("io.herald.core.security..")
                .layer("Hub")
                .definedBy("io.herald.core.hub..")
                .layer("Engine")
                .definedBy("io.herald.core.engine..")
                .layer("Transport")
                .definedBy("io.herald.core.transport..")
                .layer("Base")
                .definedBy(
                        "io.herald.core.config..",
                        "io.herald.core.internal..",
                        "io.herald.core.observe..",
                        "io.herald.core.objects..")
                .whereLayer("Root")
                .mayNotBeAccessedByAnyLayer()
                .whereLayer("Session")
                .mayOnlyBeAccessedByLayers("Root")
                .whereLayer("Chat")
                .mayOnlyBeAccessedByLayers("Root")
                .whereLayer("Rest")
                .mayOnlyBeAccessedByLayers("Root", "Chat")
                .whereLayer("Fault")
                .mayOnlyBeAccessedByLayers("Root", "Session", "Rest")
                .whereLayer("Presence")
                .mayOnlyBeAccessedByLayers("Root", "Session", "Rest", "Chat")
                .whereLayer("History")
                .mayOnlyBeAccessedByLayers("Root", "Session", "Rest", "Chat")
                .whereLayer("Annotations")
                .mayOnlyBeAccessedByLayers("Root", "Session", "Rest", "Chat")
                .whereLayer("Security")
                .mayOnlyBeAccessedByLayers("Root", "Session", "Rest", "Chat")
                .whereLayer("Channel")
                .mayOnlyBeAccessedByLayers("Root", "Session", "Rest", "Chat", "Presence", "History", "Annotations")
                .whereLayer("Hub")
                .mayOnlyBeAccessedByLayers("Root", "Session", "Rest")
                .whereLayer("Transport")
                .mayOnlyBeAccessedByLayers("Root", "Session")
                .whereLayer("Engine")
                .mayOnlyBeAccessedByLayers(
                        "Root",
                        "Session",
                        "Rest",
                        "Chat",
                        "Channel",
                        "Presence",
                        "History",
                        "Annotations",
                        "Security",
                        "Hub")
                .check(classes);
    }

    @Test
    void engine_neverSeesHubSessionsOrChannels() {
        noClasses()
                .that()
                .resideInAPackage("io.herald.core.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.herald.core.hub..",
                        "io.herald.core.session..",
                        "io.herald.core.channel..",
                        "io.herald.core.rest..",
                        "io.herald.core.security..")
                .check(classes);
    }

    @Test
    void chat_isAFrontOverTheCore_notPartOfIt() {
        // chat rooms are a REST front over channels, messages and annotations: only the node wires them in
        noClasses()
                .that()
                .resideOutsideOfPackages("io.herald.core.chat..", "io.herald.core")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.herald.core.chat..")
                .check(classes);
    }

    @Test
    void core_knowsNoNettyOrRedis() {
        noClasses()
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.netty..", "io.lettuce..")
                .check(classes);
    }
}

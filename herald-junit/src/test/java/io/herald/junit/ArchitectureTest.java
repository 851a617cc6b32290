package io.herald.junit;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * herald-junit drives Herald only through the server's public entry points (configuration, the running server, the
 * node's key reload), never its internals; and only {@link HeraldAbly} touches ably-java, so the extension loads
 * without it (docs/architecture.md §2).
 */
class ArchitectureTest {
    private final JavaClasses classes = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.herald.junit");

    @Test
    void onlyHeraldAbly_usesAblyJava() {
        noClasses()
                .that()
                .resideInAPackage("io.herald.junit..")
                .and()
                .doNotHaveSimpleName("HeraldAbly")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.ably..")
                .check(classes);
    }

    @Test
    void theExtension_doesNotReachIntoTheCoresInternals() {
        noClasses()
                .that()
                .resideInAPackage("io.herald.junit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.herald.core.session..",
                        "io.herald.core.hub..",
                        "io.herald.core.channel..",
                        "io.herald.core.engine..",
                        "io.herald.core.presence..",
                        "io.herald.core.history..",
                        "io.herald.core.transport..",
                        "io.herald.server.netty..",
                        "io.netty..")
                .check(classes);
    }
}

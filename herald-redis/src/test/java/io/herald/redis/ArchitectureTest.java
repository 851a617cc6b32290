package io.herald.redis;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The engine sees only the core's engine SPI (and config, internal helpers, the wire model): docs/architecture.md §2. */
class ArchitectureTest {
    @Test
    void redisEngine_usesOnlyTheEngineSpiOfTheCore() {
        JavaClasses classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.herald.redis");
        noClasses()
                .that()
                .resideInAPackage("io.herald.redis..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.herald.core",
                        "io.herald.core.session..",
                        "io.herald.core.hub..",
                        "io.herald.core.channel..",
                        "io.herald.core.rest..",
                        "io.herald.core.presence..",
                        "io.herald.core.security..",
                        "io.herald.core.history..",
                        "io.herald.core.transport..",
                        "io.herald.server..")
                .check(classes);
    }
}

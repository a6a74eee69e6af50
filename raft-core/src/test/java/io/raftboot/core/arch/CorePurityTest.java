package io.raftboot.core.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** raft-core is plain JDK, and only the driver has threads and clocks (docs/architecture.md, "The core"). */
class CorePurityTest {

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.raftboot.core");

    @Test
    void coreDependsOnlyOnTheJdk() {
        classes()
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("io.raftboot.core..", "java..", "javax.annotation..")
                .check(CORE);
    }

    @Test
    void onlyTheDriverUsesThreadsOrClocks() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.raftboot.core.loop..")
                .and()
                .resideOutsideOfPackage("io.raftboot.core.storage..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.lang.Thread")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameContaining("Executor")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.time.Clock")
                .orShould()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .check(CORE);
    }

    @Test
    void theProtocolCoreDoesNoIo() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.raftboot.core.node..",
                        "io.raftboot.core.log..",
                        "io.raftboot.core.message..",
                        "io.raftboot.core.store..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("java.nio.file..", "java.nio.channels..", "java.net..")
                .orShould()
                .dependOnClassesThat()
                .haveSimpleNameStartingWith("File")
                .check(CORE);
    }
}

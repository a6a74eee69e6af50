package io.raftboot.spring.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.raftboot.spring.autoconfigure.RaftProperties;
import org.junit.jupiter.api.Test;

/**
 * The packages of the Spring layer (docs/architecture.md): the auto-configuration reads the
 * properties and wires the rest; the other packages work from checked settings records and know
 * nothing of how they were configured. gRPC itself: {@link TransportNeutralityTest}.
 */
class SpringLayeringTest {

    private static final JavaClasses SPRING_LAYER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.raftboot.spring");

    @Test
    void onlyTheAutoConfigurationReadsRaftProperties() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.raftboot.spring.autoconfigure..")
                .should()
                .dependOnClassesThat()
                .belongToAnyOf(RaftProperties.class)
                .because("ClusterSettingsValidator checks every setting once and hands the other packages settings"
                        + " (ClusterSettings, PeerSecuritySettings, plain values) they can trust")
                .check(SPRING_LAYER);
    }

    @Test
    void onlyTheGrpcPackageAndTheWiringOfItsServerTouchNetDevh() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.raftboot.spring.grpc..")
                // Registers the gRPC package's classes with net.devh's server; no gRPC type of its own.
                .and()
                .haveNameNotMatching("io\\.raftboot\\.spring\\.autoconfigure\\.RaftGrpcConfiguration(\\$.*)?")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("net.devh..")
                .because(
                        "another server integration (Spring gRPC, a plain io.grpc.Server) must need only the gRPC package")
                .check(SPRING_LAYER);
    }

    @Test
    void theSpringPackagesDependOnEachOtherWithoutCycles() {
        slices().matching("io.raftboot.spring.(*)..")
                .should()
                .beFreeOfCycles()
                .because("the auto-configuration sits on top and wires the others; nothing below it depends back on it")
                .check(SPRING_LAYER);
    }
}

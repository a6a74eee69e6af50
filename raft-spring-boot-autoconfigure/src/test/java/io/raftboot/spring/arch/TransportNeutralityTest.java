package io.raftboot.spring.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * gRPC and protobuf stay inside the gRPC package: the write path's meaning (sessions, outcomes,
 * forwarding) is decided on domain types, so a user's own Transport and CommandForwarder work,
 * and no retry is ever decided by a status code or an exception's text.
 */
class TransportNeutralityTest {

    private static final JavaClasses SPRING_LAYER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.raftboot.spring");

    @Test
    void onlyTheGrpcPackageSeesGrpcOrProtobufTypes() {
        // No exception, not even the auto-configuration that creates the gRPC beans: what it hands
        // to net.devh's server are classes of the gRPC package (CrashDetectionServerConfigurer).
        noClasses()
                .that()
                .resideOutsideOfPackage("io.raftboot.spring.grpc..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.grpc..", "io.raftboot.proto..", "com.google.protobuf..")
                .because("the write path's meaning lives in domain types (io.raftboot.core.client.ForwardOutcome)")
                .check(SPRING_LAYER);
    }
}

package io.raftboot.spring.grpc.aot;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.proto.ForwardKind;
import io.raftboot.proto.HBeat;
import io.raftboot.proto.InstallSnapshotRequest;
import io.raftboot.proto.JoinRequest;
import io.raftboot.proto.RaftProto;
import io.raftboot.spring.autoconfigure.RaftActuatorAutoConfiguration;
import io.raftboot.spring.autoconfigure.RaftAutoConfiguration;
import io.raftboot.spring.autoconfigure.RaftMetricsAutoConfiguration;
import io.raftboot.testsupport.process.FreePorts;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.javapoet.ClassName;

/**
 * The starter under Spring's ahead-of-time processing, as a native-image build runs it (there is
 * no GraalVM here, so the image itself is not built): the contexts the auto-configuration makes
 * are processed without error, and the hints the image needs for the Raft messages are there.
 */
class RaftAotProcessingTest {

    @TempDir
    static Path data;

    @Test
    void theAutoConfiguredContextIsProcessedAheadOfTimeWithTheMessageHints() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(
                        RaftAutoConfiguration.class,
                        RaftActuatorAutoConfiguration.class,
                        RaftMetricsAutoConfiguration.class))
                .withPropertyValues(
                        "raft.node-id=n1",
                        "raft.peers.n1=127.0.0.1:" + FreePorts.any(),
                        "raft.data-dir=" + data.resolve("n1"))
                .prepare(ctx -> {
                    DefaultGenerationContext generation = new DefaultGenerationContext(
                            new ClassNameGenerator(ClassName.get("io.raftboot.aot", "Test")),
                            new InMemoryGeneratedFiles());
                    new ApplicationContextAotGenerator()
                            .processAheadOfTime(
                                    (GenericApplicationContext) ctx.getSourceApplicationContext(), generation);
                    generation.writeGeneratedContent();
                    RuntimeHints hints = generation.getRuntimeHints();
                    for (Class<?> message : new Class<?>[] {
                        HBeat.class, HBeat.Builder.class, InstallSnapshotRequest.class, JoinRequest.Builder.class
                    }) {
                        assertThat(RuntimeHintsPredicates.reflection()
                                        .onType(message)
                                        .withMemberCategory(MemberCategory.INVOKE_PUBLIC_METHODS))
                                .as("reflection hint for %s", message.getName())
                                .accepts(hints);
                    }
                    assertThat(RuntimeHintsPredicates.reflection().onType(ForwardKind.class))
                            .accepts(hints);
                });
    }

    @Test
    void everyMessageOfTheDescriptorGetsAHint() {
        RuntimeHints hints = new RuntimeHints();
        new RaftRuntimeHints().registerHints(hints, getClass().getClassLoader());
        for (var message : RaftProto.getDescriptor().getMessageTypes()) {
            String name = "io.raftboot.proto." + message.getName();
            assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(name)))
                    .as(name)
                    .accepts(hints);
        }
    }
}

package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.RuntimeVersion;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;

class ProtobufRuntimeFailureAnalyzerTest {

    private final ProtobufRuntimeFailureAnalyzer analyzer = new ProtobufRuntimeFailureAnalyzer();

    /** As protobuf raises it from a message class's static initializer. */
    private static RuntimeException versionFailure(String loadingClass) {
        RuntimeException e = new RuntimeVersion.ProtobufRuntimeVersionException(
                "Detected incompatible Protobuf Gencode/Runtime versions when loading HBeat: gencode 4.36.2, runtime"
                        + " 4.33.4. Runtime version cannot be older than the linked gencode version");
        e.setStackTrace(new StackTraceElement[] {
            new StackTraceElement("com.google.protobuf.RuntimeVersion", "validateProtobufGencodeVersion", null, 1),
            new StackTraceElement(loadingClass, "<clinit>", null, 1)
        });
        return e;
    }

    @Test
    void anOlderRuntimeMetLoadingRaftsMessagesSaysWhichVersionsToManage() {
        Throwable failure = new BeanCreationException(
                "raftLeaderCrashDetector",
                "failed",
                new ExceptionInInitializerError(versionFailure("io.raftboot.proto.HBeat")));
        FailureAnalysis analysis = analyzer.analyze(failure);
        assertThat(analysis).isNotNull();
        assertThat(analysis.getDescription())
                .contains("generated with protobuf " + ProtobufRuntimeFailureAnalyzer.GENCODE_VERSION)
                .contains("another one")
                .contains("runtime 4.33.4");
        assertThat(analysis.getAction())
                .contains("com.google.protobuf:protobuf-bom:" + ProtobufRuntimeFailureAnalyzer.GENCODE_VERSION)
                .contains("io.grpc:grpc-bom:" + ProtobufRuntimeFailureAnalyzer.GRPC_VERSION);
    }

    @Test
    void aProtobuf3RuntimeWithoutRuntimeVersionIsExplainedToo() {
        NoClassDefFoundError missing = new NoClassDefFoundError("com/google/protobuf/RuntimeVersion$RuntimeDomain");
        missing.setStackTrace(
                new StackTraceElement[] {new StackTraceElement("io.raftboot.proto.ReqVote", "<clinit>", null, 1)});
        assertThat(analyzer.analyze(new IllegalStateException("wrapped", missing)))
                .isNotNull();
    }

    @Test
    void theApplicationsOwnGeneratedCodeIsNotBlamedOnRaft() {
        assertThat(analyzer.analyze(new ExceptionInInitializerError(versionFailure("com.example.orders.Order"))))
                .isNull();
        assertThat(analyzer.analyze(new IllegalStateException("something else")))
                .isNull();
    }

    /** The versions the report names are the ones this build generates and links with. */
    @Test
    void theNamedVersionsAreTheBuildsOwn() throws Exception {
        String runtime = RuntimeVersion.class.getField("MAJOR").getInt(null) + "."
                + RuntimeVersion.class.getField("MINOR").getInt(null) + "."
                + RuntimeVersion.class.getField("PATCH").getInt(null);
        assertThat(ProtobufRuntimeFailureAnalyzer.GENCODE_VERSION).isEqualTo(runtime);
        assertThat(ProtobufRuntimeFailureAnalyzer.GRPC_VERSION)
                .isEqualTo(io.grpc.Grpc.class.getPackage().getImplementationVersion());
    }
}

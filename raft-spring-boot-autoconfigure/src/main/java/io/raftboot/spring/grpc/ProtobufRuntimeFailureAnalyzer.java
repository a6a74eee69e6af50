package io.raftboot.spring.grpc;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/**
 * Explains a start that failed because the application's protobuf-java runtime does not fit the
 * one the starter's messages were generated for. protobuf's generated code refuses an older
 * runtime, or one of another major version ({@code ProtobufRuntimeVersionException: ... gencode 4.36.2, runtime 4.33.4}), and a BOM
 * an application imports can bring one: Spring gRPC 1.0.x's {@code spring-grpc-dependencies}
 * manages protobuf 4.33.4 and gRPC 1.77.1. The report says which versions to manage instead.
 *
 * <p>Only failures raised while one of the starter's message classes ({@code io.raftboot.proto})
 * was being loaded are taken, so an application's own generated code is not blamed on Raft.
 * Matched by class name, not type: with a protobuf 3.x runtime the exception class does not exist
 * (the failure is then a {@code NoClassDefFoundError} for {@code com/google/protobuf/RuntimeVersion},
 * also taken).
 */
public class ProtobufRuntimeFailureAnalyzer implements FailureAnalyzer {

    /** The protobuf release raft-proto's messages are generated with (the root pom's protobuf.version). */
    static final String GENCODE_VERSION = "4.36.2";
    /** The gRPC release the starter is built and tested with (the root pom's grpc.version). */
    static final String GRPC_VERSION = "1.83.1";

    private static final String VERSION_EXCEPTION =
            "com.google.protobuf.RuntimeVersion$ProtobufRuntimeVersionException";
    private static final String RUNTIME_VERSION_CLASS = "com/google/protobuf/RuntimeVersion";
    private static final String MESSAGES = "io.raftboot.proto.";

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (isRuntimeTooOld(cause) && raisedLoadingOurMessages(cause)) {
                return new FailureAnalysis(
                        "Raft's messages were generated with protobuf " + GENCODE_VERSION
                                + " and need a protobuf-java runtime of the same major version and at least that"
                                + " release, but this application has another one:\n\n    " + cause
                                + "\n\nA BOM the application imports may manage protobuf-java down (Spring gRPC"
                                + " 1.0.x's spring-grpc-dependencies manages 4.33.4, and gRPC 1.77.1).",
                        "Manage protobuf-java " + GENCODE_VERSION + " or later and gRPC " + GRPC_VERSION
                                + ": in Maven, import com.google.protobuf:protobuf-bom:" + GENCODE_VERSION
                                + " and io.grpc:grpc-bom:" + GRPC_VERSION + " in <dependencyManagement> before"
                                + " that BOM; in Gradle, add platform(...) dependencies on both (docs/spring.md).",
                        cause);
            }
        }
        return null;
    }

    private static boolean isRuntimeTooOld(Throwable cause) {
        return VERSION_EXCEPTION.equals(cause.getClass().getName())
                || (cause instanceof NoClassDefFoundError
                        && String.valueOf(cause.getMessage()).contains(RUNTIME_VERSION_CLASS));
    }

    private static boolean raisedLoadingOurMessages(Throwable cause) {
        for (StackTraceElement frame : cause.getStackTrace()) {
            if (frame.getClassName().startsWith(MESSAGES)) {
                return true;
            }
        }
        return false;
    }
}

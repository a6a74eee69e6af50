package io.raftboot.spring.grpc.aot;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.EnumDescriptor;
import io.raftboot.proto.RaftProto;
import java.util.ArrayDeque;
import java.util.Deque;
import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;

/**
 * What a GraalVM native image needs beyond what Spring's AOT processing finds by itself: the
 * Raft wire messages. protobuf-java's full runtime reaches a generated message's getters and its
 * builder's setters by reflection (its field accessor tables, used by toString, equals and
 * descriptor-based code), so every message of raft.proto and its builder keep their public
 * methods, and every enum its values. The list comes from the descriptor, so a message added to
 * raft.proto is covered without touching this class. The configuration properties, the actuator
 * operations and the auto-configuration classes are registered by Spring's own processing.
 */
public class RaftRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
        String javaPackage = RaftProto.class.getPackageName();
        hints.reflection().registerType(RaftProto.class, MemberCategory.INVOKE_PUBLIC_METHODS);
        Deque<Descriptor> messages = new ArrayDeque<>(RaftProto.getDescriptor().getMessageTypes());
        while (!messages.isEmpty()) {
            Descriptor message = messages.pop();
            String name = javaPackage + "." + nestedName(message);
            register(hints, name);
            register(hints, name + "$Builder");
            messages.addAll(message.getNestedTypes());
            message.getEnumTypes().forEach(e -> register(hints, javaPackage + "." + nestedName(e)));
        }
        for (EnumDescriptor e : RaftProto.getDescriptor().getEnumTypes()) {
            register(hints, javaPackage + "." + e.getName());
        }
    }

    private static void register(RuntimeHints hints, String className) {
        hints.reflection()
                .registerType(
                        TypeReference.of(className),
                        MemberCategory.INVOKE_PUBLIC_METHODS,
                        MemberCategory.INVOKE_DECLARED_METHODS,
                        MemberCategory.DECLARED_FIELDS);
    }

    /** Outer$Inner for a nested type (java_multiple_files puts only top-level types in files of their own). */
    private static String nestedName(Descriptor message) {
        return message.getContainingType() == null
                ? message.getName()
                : nestedName(message.getContainingType()) + "$" + message.getName();
    }

    private static String nestedName(EnumDescriptor e) {
        return e.getContainingType() == null ? e.getName() : nestedName(e.getContainingType()) + "$" + e.getName();
    }
}

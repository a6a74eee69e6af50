package io.raftboot.spring.annotation;

import java.util.List;
import org.springframework.util.ClassUtils;

/**
 * Tells the types of the JDK and of the frameworks a Spring application is made of from the
 * application's own: a framework's class cannot carry this starter's annotations, so the
 * {@link LeaderOnly} pointcut and the role scan skip the methods of such beans, most of a
 * context's beans, instead of searching each method's type hierarchy for an annotation (that
 * search was the largest part of the starter's own time on the main thread at start-up,
 * docs/benchmarks.md). A type is a framework's only if its interfaces are too: a framework class
 * implementing an application's interface, whose methods may be annotated, is looked at.
 */
final class FrameworkTypes {

    private static final List<String> PACKAGES = List.of(
            "java.",
            "javax.",
            "jakarta.",
            "org.springframework.",
            "org.apache.",
            "io.micrometer.",
            "com.fasterxml.jackson.",
            "tools.jackson.");

    private FrameworkTypes() {}

    /** Whether neither {@code type} nor any of its interfaces is outside the frameworks' packages. */
    static boolean isFrameworkType(Class<?> type) {
        if (!inFrameworkPackage(type)) {
            return false;
        }
        for (Class<?> implemented : ClassUtils.getAllInterfacesForClassAsSet(type)) {
            if (!inFrameworkPackage(implemented)) {
                return false;
            }
        }
        return true;
    }

    private static boolean inFrameworkPackage(Class<?> type) {
        String name = type.getName();
        for (String prefix : PACKAGES) {
            if (name.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}

package io.raftboot.spring.annotation;

import java.util.List;
import org.springframework.util.ClassUtils;

/**
 * Tells the types of the JDK and of the frameworks a Spring application is made of from the
 * application's own: a framework's class cannot carry this starter's annotations, so the
 * {@link LeaderOnly} pointcut and the role scan skip the methods of such beans, most of a
 * context's beans, instead of searching each method's type hierarchy for an annotation (that
 * search was the largest part of the starter's own time on the main thread at start-up,
 * docs/benchmarks.md). The packages are the frameworks' own module roots, not whole namespaces:
 * application code lives under {@code org.springframework} too (Spring's PetClinic is
 * {@code org.springframework.samples.petclinic}) and under {@code org.apache}, and is looked at.
 * A type is a framework's only if its interfaces are too: a framework class implementing an
 * application's interface, whose methods may be annotated, is looked at.
 */
final class FrameworkTypes {

    private static final List<String> PACKAGES = List.of(
            "java.",
            "javax.",
            "jakarta.",
            "org.springframework.aop.",
            "org.springframework.beans.",
            "org.springframework.boot.",
            "org.springframework.cache.",
            "org.springframework.context.",
            "org.springframework.core.",
            "org.springframework.dao.",
            "org.springframework.data.",
            "org.springframework.format.",
            "org.springframework.grpc.",
            "org.springframework.http.",
            "org.springframework.integration.",
            "org.springframework.jdbc.",
            "org.springframework.jmx.",
            "org.springframework.orm.",
            "org.springframework.scheduling.",
            "org.springframework.security.",
            "org.springframework.transaction.",
            "org.springframework.util.",
            "org.springframework.validation.",
            "org.springframework.web.",
            "org.apache.catalina.",
            "org.apache.coyote.",
            "org.apache.tomcat.",
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

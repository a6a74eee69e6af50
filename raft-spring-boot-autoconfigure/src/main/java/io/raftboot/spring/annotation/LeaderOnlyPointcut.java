package io.raftboot.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Matches methods annotated {@link LeaderOnly}, and the public methods a {@link LeaderOnly}
 * class declares itself (not {@code toString}, {@code equals}... inherited from {@code Object}).
 * The beans of the JDK and the frameworks are not looked at ({@link FrameworkTypes}), and whether
 * a class is annotated is found once per class, not once per method.
 */
final class LeaderOnlyPointcut extends StaticMethodMatcherPointcut {

    private final Map<Class<?>, Boolean> annotatedClasses = new ConcurrentHashMap<>();

    LeaderOnlyPointcut() {
        setClassFilter(type -> !FrameworkTypes.isFrameworkType(type));
    }

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        if (AnnotatedElementUtils.hasAnnotation(specific, LeaderOnly.class)
                || (specific != method && AnnotatedElementUtils.hasAnnotation(method, LeaderOnly.class))) {
            return true;
        }
        return annotatedClasses.computeIfAbsent(
                        targetClass, type -> AnnotatedElementUtils.hasAnnotation(type, LeaderOnly.class))
                && specific.getDeclaringClass() != Object.class
                && Modifier.isPublic(specific.getModifiers());
    }
}

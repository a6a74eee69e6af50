package io.raftboot.spring.annotation;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Matches methods annotated {@link LeaderOnly}, and the public methods a {@link LeaderOnly}
 * class declares itself (not {@code toString}, {@code equals}... inherited from {@code Object}).
 */
final class LeaderOnlyPointcut extends StaticMethodMatcherPointcut {

    @Override
    public boolean matches(Method method, Class<?> targetClass) {
        Method specific = AopUtils.getMostSpecificMethod(method, targetClass);
        if (AnnotatedElementUtils.hasAnnotation(specific, LeaderOnly.class)
                || AnnotatedElementUtils.hasAnnotation(method, LeaderOnly.class)) {
            return true;
        }
        return AnnotatedElementUtils.hasAnnotation(targetClass, LeaderOnly.class)
                && specific.getDeclaringClass() != Object.class
                && Modifier.isPublic(specific.getModifiers());
    }
}

package io.raftboot.spring.annotation;

import io.raftboot.core.node.RoleCandidacy;
import io.raftboot.spring.cluster.RaftConfigurationException;
import java.lang.annotation.Annotation;
import java.lang.reflect.AnnotatedElement;
import java.util.Collections;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.function.Function;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Collects the named roles of the application's beans: the {@code role} of {@link LeaderOnly} (on
 * classes and methods), {@link OnLeader} and {@link OnLeaderRevoked}. This node offers them to the
 * leader, so a role that work depends on is offered without also configuring it. A name the core
 * would refuse fails the start, naming the method. Beans created lazily after the node started
 * are not seen: name their roles under {@code raft.roles.*}.
 */
public class AnnotatedRoles implements BeanPostProcessor {

    private final Set<String> names = new ConcurrentSkipListSet<>();

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        Class<?> type = ClassUtils.getUserClass(AopUtils.getTargetClass(bean));
        if (FrameworkTypes.isFrameworkType(type)) {
            return bean;
        }
        collect(type, type.getName(), LeaderOnly.class, LeaderOnly::role);
        // Object's methods carry none of them; bridge and synthetic ones repeat a user method.
        ReflectionUtils.doWithMethods(
                type,
                method -> {
                    String where = type.getName() + "." + method.getName();
                    collect(method, where, LeaderOnly.class, LeaderOnly::role);
                    collect(method, where, OnLeader.class, OnLeader::role);
                    collect(method, where, OnLeaderRevoked.class, OnLeaderRevoked::role);
                },
                ReflectionUtils.USER_DECLARED_METHODS);
        return bean;
    }

    private <A extends Annotation> void collect(
            AnnotatedElement element, String where, Class<A> annotation, Function<A, String> role) {
        A found = AnnotatedElementUtils.findMergedAnnotation(element, annotation);
        if (found == null || role.apply(found).isEmpty()) {
            return;
        }
        String name = role.apply(found);
        if (name.length() > RoleCandidacy.MAX_ROLE_CHARS) {
            throw new RaftConfigurationException(
                    "@" + annotation.getSimpleName() + "(role) on " + where,
                    "'" + name + "'",
                    "a role name must have 1 to " + RoleCandidacy.MAX_ROLE_CHARS + " characters",
                    "Give the role a name of 1 to " + RoleCandidacy.MAX_ROLE_CHARS + " characters.");
        }
        names.add(name);
    }

    /** The role names found so far. */
    public Set<String> names() {
        return Collections.unmodifiableSet(new TreeSet<>(names));
    }
}

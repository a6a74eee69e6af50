package io.raftboot.spring.annotation;

import io.raftboot.spring.leadership.RoleGrantedEvent;
import io.raftboot.spring.leadership.RoleRevokedEvent;
import java.lang.reflect.Method;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.EventListenerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Makes {@link OnLeader} and {@link OnLeaderRevoked} methods with a role listen to that role's
 * events rather than to Raft leadership's: without it, their meta-annotation
 * ({@code @EventListener(LeadershipGrantedEvent.class)}) would call them when this node becomes
 * Raft leader. Methods without a role are left to Spring's default factory, exactly as before.
 * Ordered before it, as Spring asks the first factory that supports a method.
 */
public class RoleEventListenerFactory implements EventListenerFactory, Ordered {

    @Override
    public boolean supportsMethod(Method method) {
        return !roleOf(method).isEmpty();
    }

    @Override
    public ApplicationListener<?> createApplicationListener(String beanName, Class<?> type, Method method) {
        OnLeader granted = AnnotatedElementUtils.findMergedAnnotation(method, OnLeader.class);
        if (granted != null && !granted.role().isEmpty()) {
            return new RoleListenerMethodAdapter(beanName, type, method, granted.role(), RoleGrantedEvent.class);
        }
        return new RoleListenerMethodAdapter(beanName, type, method, roleOf(method), RoleRevokedEvent.class);
    }

    private static String roleOf(Method method) {
        OnLeader granted = AnnotatedElementUtils.findMergedAnnotation(method, OnLeader.class);
        if (granted != null && !granted.role().isEmpty()) {
            return granted.role();
        }
        OnLeaderRevoked revoked = AnnotatedElementUtils.findMergedAnnotation(method, OnLeaderRevoked.class);
        return revoked == null ? "" : revoked.role();
    }

    @Override
    public int getOrder() {
        return 0;
    }
}

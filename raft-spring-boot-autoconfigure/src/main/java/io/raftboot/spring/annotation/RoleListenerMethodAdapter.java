package io.raftboot.spring.annotation;

import io.raftboot.spring.leadership.RaftRoleEvent;
import java.lang.reflect.Method;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.event.ApplicationListenerMethodAdapter;
import org.springframework.core.ResolvableType;

/**
 * An {@link OnLeader} or {@link OnLeaderRevoked} method with a role: called for that role's
 * {@code RoleGrantedEvent} (or {@code RoleRevokedEvent}) only. Spring's adapter does the rest
 * (finding the bean, ordering, exceptions), as for any {@code @EventListener}.
 */
final class RoleListenerMethodAdapter extends ApplicationListenerMethodAdapter {

    private final String role;
    private final Class<? extends RaftRoleEvent> eventType;
    private final boolean takesEvent;

    RoleListenerMethodAdapter(
            String beanName,
            Class<?> targetClass,
            Method method,
            String role,
            Class<? extends RaftRoleEvent> eventType) {
        super(beanName, targetClass, method);
        this.role = role;
        this.eventType = eventType;
        this.takesEvent = method.getParameterCount() == 1;
        if (method.getParameterCount() > 1
                || takesEvent && !method.getParameterTypes()[0].isAssignableFrom(eventType)) {
            throw new IllegalStateException("A method for role '" + role + "' takes no argument or a "
                    + eventType.getSimpleName() + ": " + method);
        }
    }

    @Override
    public boolean supportsEventType(ResolvableType type) {
        return eventType.isAssignableFrom(type.toClass());
    }

    /** {@code null} (not called) for another role's event. */
    @Override
    protected Object[] resolveArguments(ApplicationEvent event) {
        if (!eventType.isInstance(event) || !role.equals(((RaftRoleEvent) event).getRole())) {
            return null;
        }
        return takesEvent ? new Object[] {event} : new Object[0];
    }
}

package io.raftboot.spring.annotation;

import io.raftboot.spring.leadership.LeadershipGrantedEvent;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.event.EventListener;

/**
 * Marks a bean method to call when this node is granted leadership (it won a term and holds a
 * valid lease). The method takes no argument or a {@link LeadershipGrantedEvent}. It runs later,
 * on the Raft event thread ({@code raft-events-<node>}), one event at a time: by then the lease
 * may have lapsed or leadership moved on, so {@code LeadershipService.isLeader()} is not
 * necessarily still true there. Check {@code LeadershipService.lease()} (and that its term is the
 * event's) before acting on leadership; start long work elsewhere, and stop it in an
 * {@link OnLeaderRevoked} method.
 *
 * <p>With a {@link #role() role}, the method is called when this node is granted that named role
 * instead; it takes no argument or a {@code RoleGrantedEvent}, whose token is the role's fencing
 * token. Check {@code LeadershipService.roleLease(role)} (and that its token is the event's)
 * before acting on the role.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EventListener(LeadershipGrantedEvent.class)
public @interface OnLeader {

    /** The named role whose grant calls the method; empty (the default): Raft leadership. */
    String role() default "";
}

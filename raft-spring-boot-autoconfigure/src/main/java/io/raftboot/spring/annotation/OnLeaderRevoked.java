package io.raftboot.spring.annotation;

import io.raftboot.spring.leadership.LeadershipRevokedEvent;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.event.EventListener;

/**
 * Marks a bean method to call when this node loses leadership or its lease (including on
 * shutdown). The method takes no argument or a {@link LeadershipRevokedEvent}. Runs on the Raft
 * event thread.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EventListener(LeadershipRevokedEvent.class)
public @interface OnLeaderRevoked {

    /** The named role whose loss calls the method; empty (the default): Raft leadership. */
    String role() default "";
}

package io.raftboot.spring.annotation;

import io.raftboot.spring.leadership.LeadershipGrantedEvent;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.context.event.EventListener;

/**
 * Marks a bean method to call when this node is granted leadership (with a valid lease:
 * {@code LeadershipService.isLeader()} is already true when it runs). The method takes no
 * argument or a {@link LeadershipGrantedEvent}. It runs on the Raft event thread; start long work
 * elsewhere, and stop it in an {@link OnLeaderRevoked} method.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@EventListener(LeadershipGrantedEvent.class)
public @interface OnLeader {}

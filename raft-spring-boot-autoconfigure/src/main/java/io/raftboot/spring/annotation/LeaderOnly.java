package io.raftboot.spring.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Lets calls of the annotated method (or of every public method of the annotated bean class)
 * through only while this node is the leader with a valid lease
 * ({@code LeadershipService.isLeader()}); on other nodes the call is skipped and returns
 * {@code null}, {@code Optional.empty()}, an empty collection, {@code false} or 0. Skips are
 * counted in the {@code raft.leader.only.skipped} metric and logged at DEBUG. Typical use: on a
 * {@code @Scheduled} job that must run on one replica only.
 *
 * <p>With a {@link #role() role}, calls go through only while this node holds that named role
 * ({@code LeadershipService.isLeader(role)}): the leader spreads the roles over the nodes, so
 * jobs on different roles run on different replicas. The role's name is offered by this node
 * from startup on (see {@code raft.roles.*}). A method's own annotation wins over its class's.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface LeaderOnly {

    /** The named role this node must hold; empty (the default): the Raft leader's. */
    String role() default "";
}

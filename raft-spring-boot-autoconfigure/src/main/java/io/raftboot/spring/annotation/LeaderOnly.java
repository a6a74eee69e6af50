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
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface LeaderOnly {}

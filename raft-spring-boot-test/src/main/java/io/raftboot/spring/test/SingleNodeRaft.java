package io.raftboot.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a {@code @SpringBootTest} (or any Spring test context) a Raft cluster of one node: {@code
 * raft.single-node=true} on a free loopback port, with {@code raft.enabled=true} and {@code
 * raft.data-dir} set to a new temporary directory that is deleted when the context closes. The
 * node elects itself within an election timeout, so {@code LeadershipService.isLeader()} turns
 * true, {@code @LeaderOnly} methods run and {@code ReplicatedConfig} accepts writes; await the
 * leadership (e.g. with Awaitility) before testing what depends on it.
 *
 * <p>These settings take precedence over the application's own ({@code raft.peers}, {@code
 * raft.data-dir} and {@code raft.learners} of production configuration are ignored), but not
 * over the test's {@code @TestPropertySource} and {@code properties}, so a test can still change
 * a timeout. Tests with the same configuration share one cached context, and so one node.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface SingleNodeRaft {}

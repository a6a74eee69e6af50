package io.raftboot.benchmarks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.raftboot.benchmarks.cluster.RoleEvents.Event;
import io.raftboot.benchmarks.cluster.RoleEvents.Kind;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * Scenario 11 splits a role's failover with the leader's logged role decisions: these lines are
 * copied from a real run, so rewording them in RoleAssigner fails here instead of silently
 * leaving the parts of the failover out of the benchmark page.
 */
class RoleEventsTest {

    private static final String PREFIX =
            "2026-12-03T18:01:41.945Z  INFO 26915 --- [leader-scheduler] [   raft-loop-n2] io.raftboot.core.node.RaftNode           : ";
    private static final long AT = Instant.parse("2026-12-03T18:01:41.945Z").toEpochMilli();

    @Test
    void aRevocationNamesTheRoleItsHolderAndWhy() {
        assertThat(RoleEvents.parse(
                        PREFIX + "n2: term 35: revoking role r6 from n3 (released); grantable again in 0 ticks"))
                .contains(new Event("n2", AT, 35, Kind.REVOKED, "r6", "n3", "released"));
        assertThat(RoleEvents.parse(PREFIX + "n1: term 7: revoking role r4 from n2 (lost); grantable again in 3 ticks"))
                .contains(new Event("n1", AT, 7, Kind.REVOKED, "r4", "n2", "lost"));
    }

    @Test
    void aGrantNamesTheRoleAndItsNewHolder() {
        assertThat(RoleEvents.parse(PREFIX + "n1: term 2: granting role r1 to n2"))
                .contains(new Event("n1", AT, 2, Kind.GRANTED, "r1", "n2", ""));
    }

    @Test
    void otherLinesAreNoDecision() {
        assertThat(RoleEvents.parse(PREFIX + "n1: term 7: moving role r0 off n3 for balance"))
                .isEmpty();
        assertThat(RoleEvents.parse(PREFIX + "n1: term 7: configuration of index 69: voters [n1, n2, n3]"))
                .isEmpty();
        assertThat(RoleEvents.parse("\tat io.raftboot.core.node.RaftNode.step(RaftNode.java:1)"))
                .isEmpty();
    }
}

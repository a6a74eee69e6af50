package io.raftboot.samples.scheduler.probe;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Switches the lease probe ({@link LeaseProbe}) on. Bound from the {@code sample} prefix, which
 * it shares with {@code sample.admin.*} (those keys are ignored here).
 */
@ConfigurationProperties("sample")
public class LeaseProbeProperties {

    /**
     * Whether to sample LeadershipService.isLeader() about every millisecond and append each
     * change to <raft.data-dir>/lease-probe.log as "<System.nanoTime()> <nodeId> <term>
     * <true|false>". For tests that check from outside that no two nodes ever hold the lease at
     * the same instant. Also writes each change of isLeader(role) for the sample's named roles
     * to <raft.data-dir>/role-probe.log as "<System.nanoTime()> <nodeId> <role> <token>
     * <true|false>".
     */
    private boolean leaseProbe;

    public boolean isLeaseProbe() {
        return leaseProbe;
    }

    public void setLeaseProbe(boolean leaseProbe) {
        this.leaseProbe = leaseProbe;
    }
}

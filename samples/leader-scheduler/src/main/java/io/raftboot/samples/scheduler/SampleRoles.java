package io.raftboot.samples.scheduler;

import java.util.List;

/**
 * The named roles of the sample (issue 16): each runs one leader-only job ({@link RoleJobs}), and
 * the Raft leader spreads them over the nodes, so with three nodes every node runs some of them.
 * The nodes offer them because {@code @LeaderOnly(role = ...)} names them; no property is needed.
 */
public final class SampleRoles {

    public static final String BILLING = "billing";
    public static final String REPORTS = "reports";
    public static final String CLEANUP = "cleanup";
    public static final String DIGEST = "digest";

    /** Every named role of the sample, in a fixed order (the role probe and the fault test rely on it). */
    public static final List<String> ALL = List.of(BILLING, REPORTS, CLEANUP, DIGEST);

    private SampleRoles() {}
}

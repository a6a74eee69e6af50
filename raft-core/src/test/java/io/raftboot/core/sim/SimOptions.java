package io.raftboot.core.sim;

import java.util.SplittableRandom;

/**
 * The shape of one simulated run, derived entirely from its seed so that the seed alone replays it.
 *
 * @param voters number of voting nodes (3, 5 or 7)
 * @param learners number of non-voting nodes
 * @param chaosTicks length of the fault phase, in nominal ticks
 * @param healTicks bound, after faults heal, for a leader to be agreed and a write to reach everyone
 * @param maxDrift each node's tick period lies in [P, P / (1 - maxDrift)]
 * @param preVote and {@code checkQuorum}: the protocol options under test (both on by default)
 * @param faultGapTicks mean gap between two injected faults
 * @param maxRestartTicks a crashed node restarts after 1 to this many ticks
 * @param forgetVotes fault injection: disks drop votedFor (proves the checker catches it)
 * @param minorityFaultTicks length of the last phase, after the liveness check, in which only a
 *     minority of voters is crashed, partitioned, cut off from the leader or flapping, so the
 *     {@link StabilityChecker} has long stretches to check; 0 for none
 * @param publishBeforeSendWhenLeaseShrinks the driver's publication order (see
 *     {@code Simulation.processReady}): true, the fixed rule, publishes a status whose lease
 *     shrank (lease start dropped, role or term changed) before any message of the Ready leaves;
 *     false, RaftLoop's order before the fix, publishes only after the Ready's work
 * @param roles nodes offer named roles (issue 16), change their offers during the faults, and
 *     the {@link RoleChecker} checks every role's single holder, tokens and final balance
 */
record SimOptions(
        long seed,
        int voters,
        int learners,
        int chaosTicks,
        int healTicks,
        double maxDrift,
        boolean preVote,
        boolean checkQuorum,
        int faultGapTicks,
        int maxRestartTicks,
        boolean forgetVotes,
        int minorityFaultTicks,
        boolean publishBeforeSendWhenLeaseShrinks,
        boolean membershipChanges,
        boolean roles) {

    static SimOptions forSeed(long seed) {
        SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L);
        int roll = r.nextInt(100);
        int voters = roll < 50 ? 3 : roll < 85 ? 5 : 7;
        int learners = r.nextInt(100) < 30 ? 1 + r.nextInt(2) : 0;
        // Most seeds run the defaults users get; some run the plain algorithm of the paper.
        boolean preVote = r.nextInt(100) >= 15;
        boolean checkQuorum = r.nextInt(100) >= 15;
        return new SimOptions(
                seed,
                voters,
                learners,
                300 + r.nextInt(300),
                400,
                0.1,
                preVote,
                checkQuorum,
                40,
                60,
                false,
                200,
                true,
                false,
                false);
    }

    /**
     * Broken disks that drop votes, in the setting where that bug bites: the plain algorithm
     * (no pre-vote, no stickiness to mask it), frequent crashes and quick restarts.
     */
    SimOptions withForgetVotes() {
        return new SimOptions(
                seed,
                3,
                0,
                chaosTicks,
                healTicks,
                maxDrift,
                false,
                false,
                4,
                3,
                true,
                minorityFaultTicks,
                publishBeforeSendWhenLeaseShrinks,
                membershipChanges,
                roles);
    }

    /** The driver's publication order before the fix: a status is published only after its Ready's messages left. */
    SimOptions withStatusPublishedAfterSending() {
        return new SimOptions(
                seed,
                voters,
                learners,
                chaosTicks,
                healTicks,
                maxDrift,
                preVote,
                checkQuorum,
                faultGapTicks,
                maxRestartTicks,
                forgetVotes,
                minorityFaultTicks,
                false,
                membershipChanges,
                roles);
    }

    /**
     * The leader also changes the membership during the chaos: adds spare nodes (as learners,
     * most to be promoted), promotes, demotes and removes members, itself included. No minority
     * phase: its stability check assumes fixed voters.
     */
    SimOptions withMembershipChanges() {
        return new SimOptions(
                seed,
                voters,
                learners,
                chaosTicks,
                healTicks,
                maxDrift,
                preVote,
                checkQuorum,
                faultGapTicks,
                maxRestartTicks,
                forgetVotes,
                0,
                publishBeforeSendWhenLeaseShrinks,
                true,
                roles);
    }

    /** Nodes offer named roles and change their offers during the faults (issue 16). */
    SimOptions withRoles() {
        return new SimOptions(
                seed,
                voters,
                learners,
                chaosTicks,
                healTicks,
                maxDrift,
                preVote,
                checkQuorum,
                faultGapTicks,
                maxRestartTicks,
                forgetVotes,
                minorityFaultTicks,
                publishBeforeSendWhenLeaseShrinks,
                membershipChanges,
                true);
    }
}

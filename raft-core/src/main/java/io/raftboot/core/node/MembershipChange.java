package io.raftboot.core.node;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * One change of the cluster's configuration, applied by the leader to the latest configuration
 * in its log. Each changes at most one voter (single-server changes, thesis §4.1): any majority
 * of the old voters and any majority of the new ones then share a voter, so the two can never
 * elect two leaders in one term, with no joint configuration in between.
 */
public sealed interface MembershipChange {

    /** The configuration after this change, or IllegalArgumentException saying why it cannot apply. */
    Membership applyTo(Membership current);

    /**
     * Adds a learner: it replicates the log but does not vote (thesis §4.2.1). With
     * {@code promote}, the leader makes it a voter once its log caught up.
     */
    record AddLearner(String id, String address, boolean promote) implements MembershipChange {
        public AddLearner {
            Membership.checkedId(Objects.requireNonNull(id, "id"));
        }

        @Override
        public Membership applyTo(Membership current) {
            if (current.contains(id)) {
                throw new IllegalArgumentException("'" + id + "' is already a member (" + current + ")");
            }
            Set<String> learners = with(current.learners(), id);
            Set<String> joining = promote ? with(current.joining(), id) : current.joining();
            return new Membership(current.voters(), learners, joining, current.addresses(), current.roles())
                    .withAddress(id, address);
        }
    }

    /** Makes a learner a voter. */
    record Promote(String id) implements MembershipChange {
        public Promote {
            Membership.checkedId(Objects.requireNonNull(id, "id"));
        }

        @Override
        public Membership applyTo(Membership current) {
            if (!current.isLearner(id)) {
                throw new IllegalArgumentException("only a learner can be promoted; '" + id + "' is "
                        + (current.isVoter(id) ? "already a voter" : "not a member"));
            }
            return new Membership(
                    with(current.voters(), id),
                    without(current.learners(), id),
                    without(current.joining(), id),
                    current.addresses(),
                    current.roles());
        }
    }

    /** Makes a voter a learner; the last voter cannot go. */
    record Demote(String id) implements MembershipChange {
        public Demote {
            Membership.checkedId(Objects.requireNonNull(id, "id"));
        }

        @Override
        public Membership applyTo(Membership current) {
            requireVoterThatIsNotTheLast(current, id, "demote");
            return new Membership(
                    without(current.voters(), id),
                    with(current.learners(), id),
                    current.joining(),
                    current.addresses(),
                    current.roles());
        }
    }

    /** Removes a member, voter or learner; the last voter cannot go. */
    record Remove(String id) implements MembershipChange {
        public Remove {
            Membership.checkedId(Objects.requireNonNull(id, "id"));
        }

        @Override
        public Membership applyTo(Membership current) {
            if (current.isLearner(id)) {
                return new Membership(
                        current.voters(),
                        without(current.learners(), id),
                        without(current.joining(), id),
                        addressesWithout(current, id),
                        rolesWithout(current, id));
            }
            requireVoterThatIsNotTheLast(current, id, "remove");
            return new Membership(
                    without(current.voters(), id),
                    current.learners(),
                    current.joining(),
                    addressesWithout(current, id),
                    rolesWithout(current, id));
        }
    }

    /** Records a member's new address (a pod that came back with a new IP, a moved host). */
    record ChangeAddress(String id, String address) implements MembershipChange {
        public ChangeAddress {
            Membership.checkedId(Objects.requireNonNull(id, "id"));
            Objects.requireNonNull(address, "address");
        }

        @Override
        public Membership applyTo(Membership current) {
            if (!current.contains(id)) {
                throw new IllegalArgumentException("'" + id + "' is not a member (" + current + ")");
            }
            return current.withAddress(id, address);
        }
    }

    private static void requireVoterThatIsNotTheLast(Membership current, String id, String what) {
        if (!current.isVoter(id)) {
            throw new IllegalArgumentException("cannot " + what + " '" + id + "': it is not a voter of " + current);
        }
        if (current.voters().size() == 1) {
            throw new IllegalArgumentException("cannot " + what + " '" + id + "': it is the last voter");
        }
    }

    private static java.util.Map<String, String> addressesWithout(Membership current, String id) {
        java.util.Map<String, String> next = new java.util.TreeMap<>(current.addresses());
        next.remove(id);
        return next;
    }

    /**
     * A removed member's roles are revoked by the same entry; the leader then waits out the
     * member's possible proofs before granting them again, as for any revocation ({@link RoleAssigner}).
     */
    private static java.util.Map<String, RoleGrant> rolesWithout(Membership current, String id) {
        java.util.Map<String, RoleGrant> next = new java.util.TreeMap<>(current.roles());
        next.values().removeIf(grant -> grant.holder().equals(id));
        return next;
    }

    private static Set<String> with(Set<String> set, String id) {
        Set<String> next = new HashSet<>(set);
        next.add(id);
        return next;
    }

    private static Set<String> without(Set<String> set, String id) {
        Set<String> next = new HashSet<>(set);
        next.remove(id);
        return next;
    }
}

package io.raftboot.testsupport.process;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a group of nodes agrees on one leader: exactly one reports LEADER and every other one
 * reports FOLLOWER of it in its term. A node missing from the reports, or one that did not
 * answer, breaks the agreement.
 */
public final class LeaderAgreement {

    private LeaderAgreement() {}

    /** The leader these nodes agree on in these reports, if any. */
    public static <R extends RoleReport> Optional<R> among(Map<String, R> reports, Collection<String> ids) {
        return among(reports, ids, Long.MIN_VALUE);
    }

    /** The leader these nodes agree on in these reports, if any and if its term is above {@code aboveTerm}. */
    public static <R extends RoleReport> Optional<R> among(
            Map<String, R> reports, Collection<String> ids, long aboveTerm) {
        R leader = null;
        for (String id : ids) {
            R report = reports.get(id);
            if (report == null) {
                return Optional.empty();
            }
            if (report.isLeader()) {
                if (leader != null) {
                    return Optional.empty();
                }
                leader = report;
            }
        }
        if (leader == null || leader.term() <= aboveTerm) {
            return Optional.empty();
        }
        for (String id : ids) {
            R report = reports.get(id);
            if (report != leader && !report.isFollowerOf(leader)) {
                return Optional.empty();
            }
        }
        return Optional.of(leader);
    }
}

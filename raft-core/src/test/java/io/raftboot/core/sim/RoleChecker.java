package io.raftboot.core.sim;

import io.raftboot.core.node.Membership;
import io.raftboot.core.node.RoleCandidacy;
import io.raftboot.core.node.RoleGrant;
import io.raftboot.core.sim.InvariantChecker.InvariantViolation;
import io.raftboot.core.sim.PublishedStatus.RoleHold;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * The named roles' promises as the application sees them (issue 16), checked after every event
 * of a simulated run: at no instant do two nodes' {@code isLeader(role)} answer true for the same
 * role; a role's fencing token never goes back, and one token belongs to one holder. At the end
 * of a run, the balance the leader promises: no role could move to another eligible node and
 * strictly even the load out.
 */
final class RoleChecker {

    /** Per role: the highest token seen held, and by whom. */
    private final Map<String, Long> lastToken = new HashMap<>();

    private final Map<String, String> lastHolder = new HashMap<>();

    /** Distinct grants (role and token) seen held: a run where none is proves nothing. */
    private final java.util.Set<String> grantsHeld = new java.util.HashSet<>();

    int grantsHeld() {
        return grantsHeld.size();
    }

    /** @param published what each live node's application reads, by node id */
    void afterEvent(Map<String, PublishedStatus> published, long now) {
        for (String role : SimRoles.NAMES) {
            String holder = null;
            RoleHold held = null;
            for (Map.Entry<String, PublishedStatus> e : published.entrySet()) {
                RoleHold hold = e.getValue().roleAt(role, now);
                if (hold == null) {
                    continue;
                }
                if (holder != null) {
                    throw new InvariantViolation("role " + role + ": isLeader(\"" + role + "\") is true on both "
                            + holder + " (token " + held.token() + ", until " + held.until() + ") and " + e.getKey()
                            + " (token " + hold.token() + ", until " + hold.until() + ") at " + now);
                }
                holder = e.getKey();
                held = hold;
                checkToken(role, holder, hold.token());
            }
        }
    }

    private void checkToken(String role, String holder, long token) {
        Long last = lastToken.get(role);
        if (last != null && token < last) {
            throw new InvariantViolation("role " + role + ": " + holder + " holds token " + token + " after "
                    + lastHolder.get(role) + " held token " + last + ": a token went back");
        }
        if (last != null && token == last && !holder.equals(lastHolder.get(role))) {
            throw new InvariantViolation(
                    "role " + role + ": token " + token + " held by both " + lastHolder.get(role) + " and " + holder);
        }
        lastToken.put(role, token);
        lastHolder.put(role, holder);
        grantsHeld.add(role + "@" + token);
    }

    /**
     * Whether the assignment in {@code config} is balanced for the offers: no role held by
     * {@code h} has an eligible other node {@code e} with {@code load(h) - load(e) > weight}.
     * Returns a description of the first imbalance, or null.
     */
    static String imbalance(Membership config, Function<String, RoleCandidacy> offers) {
        Map<String, Integer> load = new HashMap<>();
        config.roles()
                .forEach((role, grant) ->
                        load.merge(grant.holder(), offers.apply(grant.holder()).weight(role), Integer::sum));
        for (Map.Entry<String, RoleGrant> e : config.roles().entrySet()) {
            String role = e.getKey();
            String holder = e.getValue().holder();
            int weight = offers.apply(holder).weight(role);
            for (String other : config.all()) {
                if (!other.equals(holder)
                        && offers.apply(other).offers(role)
                        && load.getOrDefault(holder, 0) - load.getOrDefault(other, 0) > weight) {
                    return "role " + role + " (weight " + weight + ") stays on " + holder + " (load "
                            + load.getOrDefault(holder, 0) + ") though " + other + " (load "
                            + load.getOrDefault(other, 0) + ") offers it";
                }
            }
        }
        return null;
    }
}

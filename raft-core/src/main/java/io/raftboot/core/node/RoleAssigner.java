package io.raftboot.core.node;

import io.raftboot.core.message.AppendResponse;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToLongFunction;

/**
 * The leader's side of named roles (issue 16), for one term: who offers what, the probes to echo,
 * and which role changes hands next. Assignments are configuration entries ({@link Membership#roles()}),
 * so they follow the configuration's rules: one change at a time, none before this leader
 * committed an entry of its term (thesis §4.1).
 *
 * <p>The safety rule (docs/protocol.md, "Named roles"): a role is granted only when the latest
 * entry about it in the log is a committed revocation (or none), and when every proof its
 * previous holder may have got has surely run out. A holder's proof runs from a probe it sent to
 * a leader; a leader echoes probes only while its lease holds, so every echo of an earlier
 * term left before this leader's lease wait ended ({@link Lease}), and every echo of this term
 * carried a probe sent before the holder's latest response arrived here. Hence a role revoked
 * from {@code h} may be granted again {@link ProtocolSettings#roleWaitTicks()} after the later of
 * the two, unless {@code h} released it for good ({@link RoleCandidacy#released()}) or is this
 * leader (whose own hold ends with the configuration that revokes it). A role granted earlier
 * and still held stays with its holder across leaders: nothing else can hold it.
 *
 * <p>The policy: revoke from holders that are lost (silent for an election timeout), no longer
 * offer the role, or released it; grant an unheld role to the eligible node with the least
 * weight held (ties: the lower id); and, when every offered role is held, move one role from the
 * most loaded holder when that strictly evens the load out (a difference of more than the role's
 * weight), so a stable cluster converges and then nothing moves.
 */
final class RoleAssigner {

    private static final System.Logger LOG = System.getLogger(RaftNode.class.getName());

    private final String self;
    private final long term;
    private final ProtocolSettings settings;
    /** Before this tick no role unheld when this term began may be granted. */
    private final long termGrantableTick;

    private final Map<String, RoleCandidacy> offers = new HashMap<>();
    private final Map<String, Long> probes = new HashMap<>();
    /** Roles this leader revoked: the tick from which each may be granted again. */
    private final Map<String, Long> grantableAt = new HashMap<>();
    /** Roles an operator moved ({@link #pin}): each goes to its node whenever that node may hold it, for this term. */
    private final Map<String, String> pins = new HashMap<>();

    RoleAssigner(String self, long term, ProtocolSettings settings, long leaseWaitOverTick) {
        this.self = self;
        this.term = term;
        this.settings = settings;
        this.termGrantableTick = leaseWaitOverTick + settings.roleWaitTicks();
    }

    /**
     * An operator moves {@code role} to {@code target}: revoked from its holder (with the usual
     * wait for the holder's proof) and granted to {@code target}. The move ends once
     * {@code target} holds the role (or may no longer hold it, or this term ends); from then on the
     * role is like any other, so a move that leaves the load within the balance's tolerance stays.
     *
     * @throws IllegalArgumentException if {@code target} is not a member, or does not offer the role
     */
    void pin(String role, String target, Membership config, RoleCandidacy own) {
        RoleCandidacy.checkedRole(role);
        if (!config.contains(target)) {
            throw new IllegalArgumentException(
                    "cannot move role '" + role + "' to '" + target + "': not a member of " + config);
        }
        RoleCandidacy offer = offerOf(target, own);
        if (offer == null || !offer.offers(role)) {
            throw new IllegalArgumentException("cannot move role '" + role + "' to '" + target + "': it does not offer"
                    + " that role now" + (offer == null ? " (not heard from in this term yet)" : ""));
        }
        pins.put(role, target);
    }

    /** A follower's response: its latest probe, and what it offers (its releases only grow). */
    void onResponse(AppendResponse m) {
        probes.put(m.from(), m.probe());
        RoleCandidacy previous = offers.get(m.from());
        RoleCandidacy next = m.candidacy();
        if (previous != null && !previous.released().isEmpty()) {
            SortedMap<String, Long> released = new TreeMap<>(previous.released());
            next.released().forEach((role, token) -> released.merge(role, token, Math::max));
            next = next.withReleased(released);
        }
        offers.put(m.from(), next);
    }

    /** The latest probe of {@code follower} to echo, 0 for none. */
    long probeOf(String follower) {
        return probes.getOrDefault(follower, 0L);
    }

    /** The roles to confirm to {@code follower}: its committed grants that it did not release. */
    Map<String, Long> confirmedFor(String follower, Membership config, long commit) {
        RoleCandidacy offer = offers.get(follower);
        Map<String, Long> confirmed = new TreeMap<>();
        config.rolesHeldBy(follower).forEach((role, grant) -> {
            if (grant.token() <= commit && (offer == null || !offer.released(role, grant.token()))) {
                confirmed.put(role, grant.token());
            }
        });
        return confirmed;
    }

    /**
     * The configuration with the next role change, or null when none is due at {@code now}.
     * Revocations come first (all due ones in one entry), then grants (all ready ones in one
     * entry, each with {@code nextIndex} as its token), then at most one move for balance.
     *
     * @param lastHeard the tick at which a member was last heard in this term
     */
    Membership next(Membership config, RoleCandidacy own, long now, long nextIndex, ToLongFunction<String> lastHeard) {
        pins.keySet().retainAll(activePins(config, own, now, lastHeard).keySet());
        Change change = plan(config, own, now, nextIndex, lastHeard);
        if (change == null) {
            return null;
        }
        grantableAt.putAll(change.grantableAt());
        change.log().forEach(line -> LOG.log(Level.INFO, "{0}: term {1}: {2}", self, term, line));
        return change.next();
    }

    /**
     * Whether {@link #next} would change anything at {@code tick}, without changing anything: for
     * the driver's sleep ({@link RaftNode#ticksUntilNextEvent()}).
     */
    boolean changeDue(Membership config, RoleCandidacy own, long tick, ToLongFunction<String> lastHeard) {
        return plan(config, own, tick, Long.MAX_VALUE, lastHeard) != null;
    }

    /**
     * Ticks until something time-driven may change the assignment: a revoked or new role becomes
     * grantable, or a holder has been silent for an election timeout; {@link Long#MAX_VALUE} for never.
     */
    long ticksUntilDue(Membership config, RoleCandidacy own, long now, ToLongFunction<String> lastHeard) {
        long next = Long.MAX_VALUE;
        if (noRoles(config, own)) {
            return next;
        }
        for (String role : offeredRoles(config, own, now, lastHeard)) {
            if (!config.roles().containsKey(role) && grantableAt(role) > now) {
                next = Math.min(next, grantableAt(role) - now);
            }
        }
        for (RoleGrant grant : config.roles().values()) {
            if (!grant.holder().equals(self)) {
                long lostAt = lastHeard.applyAsLong(grant.holder()) + settings.electionTicks();
                if (lostAt > now) {
                    next = Math.min(next, lostAt - now);
                }
            }
        }
        return next;
    }

    /**
     * A configuration change of the members revoked roles ({@link MembershipChange.Remove} takes a
     * removed member's roles with it): each becomes grantable again only once its holder's proofs
     * surely ran out, as for any revocation.
     */
    void revokedWith(Membership current, Membership next, long now, ToLongFunction<String> lastHeard) {
        current.roles().forEach((role, grant) -> {
            if (!grant.equals(next.roles().get(role))) {
                grantableAt.put(role, waitOver(grant.holder(), false, now, lastHeard));
            }
        });
    }

    /**
     * The tick from which a role revoked from {@code holder} at {@code now} may be granted again:
     * at once if the holder is this leader (its hold ends with the configuration that revokes it)
     * or released it for good; else once every proof it may have got surely ran out.
     */
    private long waitOver(String holder, boolean released, long now, ToLongFunction<String> lastHeard) {
        return holder.equals(self) || released
                ? now
                : Math.max(termGrantableTick, lastHeard.applyAsLong(holder) + settings.roleWaitTicks());
    }

    /** A role change: the next configuration, when revoked roles become grantable, what to log. */
    private record Change(Membership next, Map<String, Long> grantableAt, List<String> log) {}

    /** The moves under way: one is done once its target holds the role, given up once the target may not hold it. */
    private Map<String, String> activePins(
            Membership config, RoleCandidacy own, long now, ToLongFunction<String> lastHeard) {
        Map<String, String> active = new TreeMap<>();
        pins.forEach((role, target) -> {
            if (!target.equals(holderOf(config, role)) && eligible(target, own, role, now, lastHeard)) {
                active.put(role, target);
            }
        });
        return active;
    }

    private Change plan(
            Membership config, RoleCandidacy own, long now, long nextIndex, ToLongFunction<String> lastHeard) {
        if (noRoles(config, own)) {
            return null; // asked on every loop iteration of a leader: no allocation when roles are unused
        }
        Map<String, String> pins = activePins(config, own, now, lastHeard);
        Change revoked = revocations(config, own, now, lastHeard, pins);
        if (revoked != null) {
            return revoked;
        }
        Map<String, RoleGrant> roles = new TreeMap<>(config.roles());
        Map<String, Integer> load = loads(config, own);
        List<String> log = new ArrayList<>();
        boolean waiting = false;
        for (String role : offeredRoles(config, own, now, lastHeard)) {
            if (roles.containsKey(role)) {
                continue;
            }
            if (now < grantableAt(role)) {
                waiting = true;
                continue;
            }
            String pinned = pins.get(role);
            String best = pinned != null ? pinned : leastLoaded(config, own, role, now, lastHeard, load, null);
            if (best != null) {
                roles.put(role, new RoleGrant(best, nextIndex));
                load.merge(best, weight(best, own, role), Integer::sum);
                log.add("granting role " + role + " to " + best);
            }
        }
        if (!roles.equals(config.roles())) {
            return new Change(config.withRoles(roles), Map.of(), log);
        }
        return waiting ? null : balanceMove(config, own, now, lastHeard, load, pins);
    }

    private Change revocations(
            Membership config,
            RoleCandidacy own,
            long now,
            ToLongFunction<String> lastHeard,
            Map<String, String> pins) {
        Map<String, RoleGrant> roles = new TreeMap<>(config.roles());
        Map<String, Long> grantable = new TreeMap<>();
        List<String> log = new ArrayList<>();
        for (Map.Entry<String, RoleGrant> e : config.roles().entrySet()) {
            String role = e.getKey();
            RoleGrant grant = e.getValue();
            String holder = grant.holder();
            RoleCandidacy offer = offerOf(holder, own);
            boolean lost = lost(holder, now, lastHeard);
            boolean released = offer != null && offer.released(role, grant.token());
            String pinned = pins.get(role);
            boolean moving = pinned != null;
            if (!lost && !released && !moving && (offer == null || offer.offers(role))) {
                continue;
            }
            roles.remove(role);
            long from = waitOver(holder, released, now, lastHeard);
            grantable.put(role, from);
            log.add("revoking role " + role + " from " + holder + " ("
                    + (lost ? "lost" : released ? "released" : moving ? "moved to " + pinned : "no longer offered")
                    + "); grantable again in "
                    + Math.max(0, from - now) + " ticks");
        }
        return roles.size() == config.roles().size() ? null : new Change(config.withRoles(roles), grantable, log);
    }

    /**
     * One role moved off the most loaded holder, when giving it to the least loaded eligible node
     * strictly evens the load out; null when the assignment is balanced.
     */
    private Change balanceMove(
            Membership config,
            RoleCandidacy own,
            long now,
            ToLongFunction<String> lastHeard,
            Map<String, Integer> load,
            Map<String, String> pins) {
        for (Map.Entry<String, RoleGrant> e : config.roles().entrySet()) {
            String role = e.getKey();
            String holder = e.getValue().holder();
            if (pins.containsKey(role)) {
                continue; // an operator is moving it
            }
            int w = weight(holder, own, role);
            String best = leastLoaded(config, own, role, now, lastHeard, load, holder);
            if (best != null && load.getOrDefault(holder, 0) - load.getOrDefault(best, 0) > w) {
                Map<String, RoleGrant> roles = new TreeMap<>(config.roles());
                roles.remove(role);
                long from = waitOver(holder, false, now, lastHeard);
                return new Change(
                        config.withRoles(roles),
                        Map.of(role, from),
                        List.of("moving role " + role + " off " + holder + " for balance"));
            }
        }
        return null;
    }

    private String leastLoaded(
            Membership config,
            RoleCandidacy own,
            String role,
            long now,
            ToLongFunction<String> lastHeard,
            Map<String, Integer> load,
            String except) {
        String best = null;
        for (String member : config.all()) {
            if (member.equals(except) || !eligible(member, own, role, now, lastHeard)) {
                continue;
            }
            if (best == null || load.getOrDefault(member, 0) < load.getOrDefault(best, 0)) {
                best = member;
            }
        }
        return best;
    }

    /** Roles some eligible member offers, sorted. */
    private TreeSet<String> offeredRoles(
            Membership config, RoleCandidacy own, long now, ToLongFunction<String> lastHeard) {
        TreeSet<String> roles = new TreeSet<>();
        for (String member : config.all()) {
            RoleCandidacy offer = offerOf(member, own);
            if (offer != null && offer.available() && !lost(member, now, lastHeard)) {
                roles.addAll(offer.roles().keySet());
            }
        }
        return roles;
    }

    private Map<String, Integer> loads(Membership config, RoleCandidacy own) {
        Map<String, Integer> load = new HashMap<>();
        config.roles()
                .forEach((role, grant) -> load.merge(grant.holder(), weight(grant.holder(), own, role), Integer::sum));
        return load;
    }

    private boolean eligible(
            String member, RoleCandidacy own, String role, long now, ToLongFunction<String> lastHeard) {
        RoleCandidacy offer = offerOf(member, own);
        return offer != null && offer.offers(role) && !lost(member, now, lastHeard);
    }

    private int weight(String member, RoleCandidacy own, String role) {
        RoleCandidacy offer = offerOf(member, own);
        return offer == null ? 1 : offer.weight(role);
    }

    /** What {@code member} offers as last heard in this term; null when not heard yet. */
    private RoleCandidacy offerOf(String member, RoleCandidacy own) {
        return member.equals(self) ? own : offers.get(member);
    }

    private boolean lost(String member, long now, ToLongFunction<String> lastHeard) {
        return !member.equals(self) && now - lastHeard.applyAsLong(member) >= settings.electionTicks();
    }

    /** Nothing to assign: no role is held and nobody heard in this term offers one. */
    private boolean noRoles(Membership config, RoleCandidacy own) {
        if (!config.roles().isEmpty() || !own.roles().isEmpty()) {
            return false;
        }
        for (RoleCandidacy offer : offers.values()) {
            if (!offer.roles().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static String holderOf(Membership config, String role) {
        RoleGrant grant = config.roles().get(role);
        return grant == null ? null : grant.holder();
    }

    private long grantableAt(String role) {
        return grantableAt.getOrDefault(role, termGrantableTick);
    }
}

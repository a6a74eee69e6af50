package io.raftboot.core.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.random.RandomGenerator;

/**
 * A node's side of named roles (issue 16): what it offers, the probes it sends with each
 * AppendResponse, and the proof the leader's echo gives it.
 *
 * <p>A probe is this node's tick as it sent a response, offset by a random base. The leader
 * echoes the latest probe it received, with the roles it confirms, only while its own lease
 * holds ({@link RoleAssigner}). So an echo proves: at some instant after the probe left, the
 * leader still led, and any leader after it is elected later still. That is all a role's
 * safety needs (docs/protocol.md, "Named roles"): the holder keeps the role for
 * {@link ProtocolSettings#roleLeaseTicks()} of its own ticks from the probe's tick, and a leader
 * grants the role to another node only after ticks that surely outlast those.
 *
 * <p>The base is drawn when the node first offers a role (so a cluster without roles draws
 * nothing, and its elections are those of a build without roles), and again whenever the node
 * gives roles up: an echo of a probe from an earlier base (before a restart, before it became
 * unavailable) no longer proves anything. A base collision needs a random 62-bit number to land
 * within a few thousand of another.
 */
final class RoleProofs {

    private final RandomGenerator random;
    private RoleCandidacy candidacy = RoleCandidacy.NONE;
    /** 0 until the node first offers a role. */
    private long base;
    /** Tick at which the probe of the latest valid echo left, or -1. */
    private long provenStart = -1;
    /** The roles (role to token) that echo confirmed. */
    private Map<String, Long> proven = Map.of();

    RoleProofs(RandomGenerator random) {
        this.random = random;
    }

    RoleCandidacy candidacy() {
        return candidacy;
    }

    /**
     * The application offers {@code next}. Every role this node holds in {@code config} and no
     * longer offers is released for good (its token goes into {@link RoleCandidacy#released()}),
     * and if anything was given up, proofs start over from a new base.
     */
    void offer(RoleCandidacy next, Membership config, String self) {
        SortedMap<String, Long> released = new TreeMap<>(candidacy.released());
        boolean gaveUp = candidacy.available() && !next.available();
        for (Map.Entry<String, RoleGrant> held : config.rolesHeldBy(self).entrySet()) {
            if (!next.offers(held.getKey())
                    && !candidacy.released(held.getKey(), held.getValue().token())) {
                released.merge(held.getKey(), held.getValue().token(), Math::max);
                gaveUp = true;
            }
        }
        candidacy = next.withReleased(released);
        if (gaveUp || base == 0 && candidacy.offersAny()) {
            base = 1 + (random.nextLong() >>> 2);
            provenStart = -1;
            proven = Map.of();
        }
    }

    /** The probe for a response sent at tick {@code now}; 0 when the node offers no role. */
    long probe(long now) {
        return base != 0 && candidacy.offersAny() ? base + now : 0;
    }

    /** The leader echoed {@code echo} confirming {@code roles}; at tick {@code now}. */
    void onEcho(long echo, Map<String, Long> roles, long now) {
        if (echo == 0 || base == 0 || !candidacy.offersAny()) {
            return;
        }
        long start = echo - base;
        if (start < 0 || start > now || start < provenStart) {
            return; // not one of ours (another base), or older than the proof we have
        }
        provenStart = start;
        proven = roles;
    }

    /**
     * The roles this node holds at tick {@code now}: those the configuration grants it, that it
     * offers and did not release, and that a proof covers, the echo's (for {@code leaseTicks}
     * from its probe) or, on the leader, its own lease ({@code leaderLeaseStart}, -1 for none)
     * for grants already committed.
     */
    List<HeldRole> held(
            Membership config,
            String self,
            long now,
            long commit,
            long leaderLeaseStart,
            int leaderLeaseTicks,
            int roleLeaseTicks) {
        if (!candidacy.offersAny() || config.roles().isEmpty()) {
            return List.of(); // the common case, asked on every loop iteration: no allocation
        }
        List<HeldRole> held = new ArrayList<>();
        for (Map.Entry<String, RoleGrant> e : config.rolesHeldBy(self).entrySet()) {
            String role = e.getKey();
            long token = e.getValue().token();
            if (!candidacy.offers(role) || candidacy.released(role, token)) {
                continue;
            }
            HeldRole best = null;
            if (provenStart >= 0
                    && Long.valueOf(token).equals(proven.get(role))
                    && provenStart + roleLeaseTicks > now) {
                best = new HeldRole(role, token, provenStart, roleLeaseTicks);
            }
            if (leaderLeaseStart >= 0 && token <= commit && leaderLeaseStart + leaderLeaseTicks > now) {
                HeldRole byLease = new HeldRole(role, token, leaderLeaseStart, leaderLeaseTicks);
                if (best == null || byLease.endTick() > best.endTick()) {
                    best = byLease;
                }
            }
            if (best != null) {
                held.add(best);
            }
        }
        return held;
    }
}

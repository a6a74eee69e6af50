package io.raftboot.spring.cluster;

import io.raftboot.core.loop.RaftListener;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.node.Membership;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who the members are and where they listen, as far as this node knows: {@code raft.peers} at
 * start, then the configuration in force in the replicated log (thesis §4.1), whose entries carry
 * each member's address. A member added at runtime is reached and admitted this way, with no
 * replica's settings changed; a member that moved is reached at its new address. Updated by the
 * loop's status ({@link RaftListener}); read from any thread.
 */
public final class PeerDirectory implements RaftListener {

    private static final Logger LOG = LoggerFactory.getLogger(PeerDirectory.class);

    private final ClusterSettings settings;
    /** The configuration in force (and this node). */
    private volatile Map<String, PeerAddress> members;
    /**
     * Every member this node ever knew: raft.peers and every configuration it has seen, at the
     * latest address. Requests are admitted from all of them (thesis §4.1: a node lagging behind
     * the configuration that added its leader must still hear that leader), not only from the
     * configuration in force.
     */
    private volatile Map<String, PeerAddress> known;

    private volatile long membershipIndex = -1;
    private Membership applied;

    public PeerDirectory(ClusterSettings settings) {
        this.settings = settings;
        this.members = Collections.unmodifiableMap(new TreeMap<>(settings.members()));
        this.known = members;
    }

    /** Every member this node knows of (this node included) and its address. */
    public Map<String, PeerAddress> members() {
        return members;
    }

    /** Whether {@code id} is a member of the configuration in force. */
    public boolean isMember(String id) {
        return id != null && members.containsKey(id);
    }

    /** Whether {@code id} was ever a member this node knew of (raft.peers or a configuration it saw). */
    public boolean isKnown(String id) {
        return id != null && known.containsKey(id);
    }

    /** Every id this node ever knew as a member. */
    public java.util.Set<String> knownIds() {
        return known.keySet();
    }

    /** The member's address (the latest known), or {@code null} for an id this node never knew. */
    public PeerAddress addressOf(String id) {
        if (id == null) {
            return null;
        }
        PeerAddress address = members.get(id);
        return address != null ? address : known.get(id);
    }

    /**
     * Takes the configuration the node recovered from its data. A node that starts with data
     * follows the log's configuration, not {@code raft.peers}; when the two differ it says so
     * once, naming both.
     */
    public void adoptRecovered(RaftStatus recovered) {
        Membership log = recovered.membership();
        if (recovered.membershipIndex() > 0
                && (!log.voters().equals(settings.voters()) || !log.learners().equals(settings.learners()))) {
            LOG.warn(
                    "The data of node '{}' records the members of log index {}: {}; raft.peers and raft.learners"
                            + " say voters {}, learners {}. The node follows its log: raft.peers only bootstraps a new"
                            + " cluster. Change members with the membership operations (docs/operations.md), and"
                            + " update raft.peers to match so that a replica started without data joins the same cluster.",
                    settings.nodeId(),
                    recovered.membershipIndex(),
                    log,
                    new java.util.TreeSet<>(settings.voters()),
                    new java.util.TreeSet<>(settings.learners()));
        }
        update(log, recovered.membershipIndex());
    }

    @Override
    public void onStateChange(RaftStatus previous, RaftStatus current) {
        update(current.membership(), current.membershipIndex());
    }

    /**
     * Takes the configuration in force: its members, at the address it records, else the one
     * known so far. Members outside it are dropped, but this node always knows itself.
     *
     * @return whether the directory changed
     */
    public synchronized boolean update(Membership membership, long index) {
        // The index alone is not enough: a configuration overwritten at the same index (a
        // truncated suffix, a snapshot ending there) differs with the same index.
        if (index == membershipIndex && membership.equals(applied)) {
            return false;
        }
        applied = membership;
        Map<String, PeerAddress> before = members;
        Map<String, PeerAddress> next = new TreeMap<>();
        for (String id : membership.all()) {
            PeerAddress address = parseOrNull(id, membership.address(id));
            if (address == null) {
                address = before.getOrDefault(id, known.get(id));
            }
            if (address != null) {
                next.put(id, address);
            } else {
                LOG.warn(
                        "Member '{}' of the configuration at log index {} has no known address; it cannot be"
                                + " reached until a change records one",
                        id,
                        index);
            }
        }
        next.putIfAbsent(settings.nodeId(), settings.self());
        membershipIndex = index;
        Map<String, PeerAddress> everKnown = new TreeMap<>(known);
        everKnown.putAll(next);
        known = Collections.unmodifiableMap(everKnown);
        if (next.equals(before)) {
            return false;
        }
        members = Collections.unmodifiableMap(next);
        LOG.info("Members as of log index {}: {}", index, next);
        return true;
    }

    /**
     * Learns the members of a configuration another member reported (a join answer), without
     * taking it as in force: a joiner admits the leader of that configuration before its own
     * log records it (thesis §4.2.1; otherwise a leader added at runtime could never reach a node
     * that joins later). Authenticated like every peer answer; never forgets a known member.
     */
    public synchronized void learn(Membership membership) {
        Map<String, PeerAddress> everKnown = new TreeMap<>(known);
        for (String id : membership.all()) {
            PeerAddress address = parseOrNull(id, membership.address(id));
            if (address != null) {
                everKnown.put(id, address);
            }
        }
        known = Collections.unmodifiableMap(everKnown);
    }

    private static PeerAddress parseOrNull(String id, String address) {
        if (address == null) {
            return null;
        }
        try {
            return PeerAddress.parse(address);
        } catch (IllegalArgumentException e) {
            LOG.warn("Member '{}' has an unusable address in the configuration: {}", id, e.getMessage());
            return null;
        }
    }
}

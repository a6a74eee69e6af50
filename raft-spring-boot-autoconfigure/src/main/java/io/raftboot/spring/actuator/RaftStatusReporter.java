package io.raftboot.spring.actuator;

import io.raftboot.core.loop.PeerState;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.loop.RoleLease;
import io.raftboot.core.node.Membership;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.PeerDirectory;
import io.raftboot.spring.grpc.PeerContacts;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Builds the {@link RaftStatusView} from the loop's status (roles, indexes, lease, the leader's
 * view of its followers) and the transport's observations (reachability, and last contact where
 * the core has none: on a follower, the core tracks no peers).
 */
public class RaftStatusReporter {

    private final RaftLoop loop;
    private final ClusterSettings settings;
    private final PeerDirectory directory;
    private final ConfigStore store;
    private final PeerContacts contacts;
    private final Predicate<String> reachable;

    public RaftStatusReporter(
            RaftLoop loop,
            ClusterSettings settings,
            ConfigStore store,
            PeerContacts contacts,
            Predicate<String> reachable) {
        this(loop, settings, new PeerDirectory(settings), store, contacts, reachable);
    }

    public RaftStatusReporter(
            RaftLoop loop,
            ClusterSettings settings,
            PeerDirectory directory,
            ConfigStore store,
            PeerContacts contacts,
            Predicate<String> reachable) {
        this.loop = loop;
        this.settings = settings;
        this.directory = directory;
        this.store = store;
        this.contacts = contacts;
        this.reachable = reachable;
    }

    public RaftStatusView status() {
        RaftStatus s = loop.status();
        Map<String, PeerState> known = new HashMap<>();
        for (PeerState p : s.peers()) {
            known.put(p.id(), p);
        }
        List<RaftStatusView.Peer> peers = new ArrayList<>();
        Membership membership = s.membership();
        List<RaftStatusView.Member> members = new ArrayList<>();
        for (String id : membership.all()) {
            PeerAddress address = directory.addressOf(id);
            String role =
                    membership.isVoter(id) ? "voter" : membership.joining().contains(id) ? "joining" : "learner";
            members.add(new RaftStatusView.Member(id, address == null ? null : address.toString(), role));
        }
        for (Map.Entry<String, PeerAddress> member : directory.members().entrySet()) {
            String id = member.getKey();
            if (id.equals(settings.nodeId())) {
                continue;
            }
            PeerState p = known.get(id);
            long contact =
                    p != null && p.lastContactMillis() >= 0 ? p.lastContactMillis() : contacts.millisSinceContact(id);
            peers.add(new RaftStatusView.Peer(
                    id,
                    member.getValue().toString(),
                    membership.isVoter(id),
                    p == null ? -1 : p.matchIndex(),
                    contact,
                    reachable.test(id)));
        }
        PeerAddress leader = directory.addressOf(s.leaderId());
        return new RaftStatusView(
                settings.nodeId(),
                settings.clusterId(),
                s.role().name(),
                s.term(),
                s.leaderId(),
                leader == null ? null : leader.toString(),
                s.commitIndex(),
                s.lastApplied(),
                store.configVersion(),
                s.leaseValidForMillis(),
                peers,
                s.membershipIndex(),
                members,
                roles(s));
    }

    /** The roles the configuration in force assigns, and whether this node holds each now. */
    private static List<RaftStatusView.NamedRole> roles(RaftStatus s) {
        java.util.SortedMap<String, RaftStatusView.NamedRole> roles = new java.util.TreeMap<>();
        s.membership().roles().forEach((name, grant) -> {
            java.util.Optional<RoleLease> here = s.roleLease(name);
            roles.put(
                    name,
                    new RaftStatusView.NamedRole(
                            name,
                            grant.holder(),
                            grant.token(),
                            here.isPresent(),
                            here.map(l -> l.remaining().toMillis()).orElse(0L)));
        });
        return List.copyOf(roles.values());
    }
}

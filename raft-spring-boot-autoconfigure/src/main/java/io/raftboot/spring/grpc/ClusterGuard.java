package io.raftboot.spring.grpc;

import io.grpc.Status;
import io.raftboot.spring.cluster.ClusterSettings;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits only requests from members of this node's cluster. The seed accepted heartbeats from
 * anyone; here a request with another cluster id, an unknown sender or another intended
 * receiver is refused with {@code PERMISSION_DENIED}, and logged once per sender.
 */
public final class ClusterGuard {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterGuard.class);

    private final ClusterSettings settings;
    private final Set<String> logged = ConcurrentHashMap.newKeySet();

    public ClusterGuard(ClusterSettings settings) {
        this.settings = settings;
    }

    /**
     * @param to the intended receiver, or empty when the request names none
     * @return {@code null} to admit, or the status to refuse with
     */
    public Status check(String clusterId, String from, String to) {
        String problem = null;
        if (!settings.clusterId().equals(clusterId)) {
            problem = "it belongs to cluster '" + clusterId + "' but this node to cluster '" + settings.clusterId()
                    + "'; set the same raft.cluster-id on every replica";
        } else if (!settings.isMember(from) || settings.nodeId().equals(from)) {
            problem = "sender '" + from + "' is not another member of raft.peers " + settings.members().keySet()
                    + "; list it in raft.peers on every replica";
        } else if (to != null && !to.isEmpty() && !settings.nodeId().equals(to)) {
            problem = "it is addressed to node '" + to + "' but this is node '" + settings.nodeId()
                    + "'; raft.peers maps ids to different addresses on different replicas";
        }
        if (problem == null) {
            return null;
        }
        String description = "node '" + settings.nodeId() + "' refuses a Raft request from '" + from + "': " + problem;
        if (logged.add(clusterId + "/" + from + "/" + to)) {
            LOG.warn("{} (logged once per sender)", description);
        }
        return Status.PERMISSION_DENIED.withDescription(description);
    }
}

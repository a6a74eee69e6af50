package io.raftboot.spring.actuator;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.actuate.info.Info;
import org.springframework.boot.actuate.info.InfoContributor;

/**
 * The {@code raft} section of {@code /actuator/info}: which cluster this replica belongs to and
 * who leads it, and the named roles this replica holds, for inventories and dashboards that read info rather than the raft endpoint. The
 * full status stays in {@code /actuator/raft}.
 */
public class RaftInfoContributor implements InfoContributor {

    private final RaftLoop loop;
    private final String clusterId;

    public RaftInfoContributor(RaftLoop loop, String clusterId) {
        this.loop = loop;
        this.clusterId = clusterId;
    }

    @Override
    public void contribute(Info.Builder builder) {
        RaftStatus status = loop.status();
        Map<String, Object> raft = new LinkedHashMap<>();
        raft.put("nodeId", status.nodeId());
        raft.put("clusterId", clusterId);
        raft.put("role", status.role().name());
        raft.put("term", status.term());
        raft.put("leaderId", status.leaderId());
        raft.put("voters", List.copyOf(status.membership().voters()));
        raft.put("learners", List.copyOf(status.membership().learners()));
        // The named roles held here with a valid lease (issue 16), by name.
        raft.put(
                "roles",
                status.roles().keySet().stream().filter(status::holdsRole).toList());
        raft.put("version", StarterVersion.get());
        builder.withDetail("raft", raft);
    }
}

package io.raftboot.samples.scheduler;

import io.raftboot.spring.annotation.OnLeader;
import io.raftboot.spring.annotation.OnLeaderRevoked;
import io.raftboot.spring.leadership.LeadershipGrantedEvent;
import io.raftboot.spring.leadership.LeadershipRevokedEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Logs this node's leadership changes. A real service would start and stop its leader-only
 * machinery here (a consumer, a connection that must exist once); the methods run on the Raft
 * event thread, so they must return quickly.
 */
@Component
public class LeadershipLogger {

    private static final Logger LOG = LoggerFactory.getLogger(LeadershipLogger.class);

    @OnLeader
    public void granted(LeadershipGrantedEvent event) {
        LOG.info("Node {} leads now (term {}): the leader-only job runs here", event.getNodeId(), event.getTerm());
    }

    @OnLeaderRevoked
    public void revoked(LeadershipRevokedEvent event) {
        LOG.info(
                "Node {} no longer leads (term {}): the leader-only job stops here",
                event.getNodeId(),
                event.getTerm());
    }
}

package io.raftboot.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import io.raftboot.core.loop.RaftListener;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.node.Role;

/**
 * One {@value RaftObservations#ELECTION} observation per campaign of this node: it starts when
 * the node becomes a candidate and stops when it leads ({@code outcome=won}) or follows again
 * ({@code outcome=lost}); a campaign that needs several terms stays one observation, its last
 * term in {@code raft.term}. Called on the Raft loop thread, where starting and stopping an
 * observation is a few handler calls and never blocks.
 */
public class ElectionObservations implements RaftListener {

    private final ObservationRegistry registry;
    private final String nodeId;
    private Observation campaign;

    public ElectionObservations(ObservationRegistry registry, String nodeId) {
        this.registry = registry;
        this.nodeId = nodeId;
    }

    @Override
    public void onStateChange(RaftStatus previous, RaftStatus current) {
        if (current.role() == Role.CANDIDATE) {
            if (campaign == null) {
                campaign = start();
            }
            campaign.highCardinalityKeyValue("raft.term", Long.toString(current.term()));
        } else if (campaign != null) {
            finish(current);
        } else if (current.role() == Role.LEADER && previous.role() != Role.LEADER) {
            // Won within one loop iteration (a single voter, or every vote in one batch): the
            // published status never showed CANDIDATE, so the campaign is recorded as it ends.
            campaign = start();
            finish(current);
        }
    }

    private Observation start() {
        return RaftObservations.of(RaftObservations.ELECTION, registry)
                .lowCardinalityKeyValue("raft.node", nodeId)
                .start();
    }

    private void finish(RaftStatus current) {
        campaign.lowCardinalityKeyValue("outcome", current.role() == Role.LEADER ? "won" : "lost");
        campaign.highCardinalityKeyValue("raft.term", Long.toString(current.term()));
        campaign.stop();
        campaign = null;
    }
}

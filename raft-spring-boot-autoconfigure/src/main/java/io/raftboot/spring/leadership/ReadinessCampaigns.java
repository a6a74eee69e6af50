package io.raftboot.spring.leadership;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.node.Role;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;

/**
 * Raft leadership that follows the application's readiness (issue 16, with
 * {@code raft.availability.campaign-when-ready=true}): this voter starts no election while the
 * application refuses traffic (Spring's {@link ReadinessState}), and a leader that turns unready
 * hands leadership to the most up-to-date other voter. It keeps voting and replicating, so a
 * majority stays a majority. Started right after the Raft loop (its first election timeout is
 * still far off), so a node that is not ready yet never campaigns.
 *
 * <p>If no voter is ready, no leader is elected: config writes fail and no leader-only work runs
 * until one is ready again. A handoff picks its target by log progress, not readiness; an unready
 * node that receives leadership that way keeps it until it is ready and unready again.
 */
public class ReadinessCampaigns
        implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>>, SmartLifecycle {

    private static final Logger LOG = LoggerFactory.getLogger(ReadinessCampaigns.class);

    private final RaftLoop loop;
    private final LeadershipService leadership;
    private final int phase;
    private volatile boolean ready;
    private volatile boolean running;

    /** @param phase right after the lifecycle that starts the Raft loop */
    public ReadinessCampaigns(RaftLoop loop, LeadershipService leadership, int phase) {
        this.loop = loop;
        this.leadership = leadership;
        this.phase = phase;
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
        boolean nowReady = event.getState() == ReadinessState.ACCEPTING_TRAFFIC;
        if (nowReady != ready) {
            ready = nowReady;
            if (running) {
                apply();
            }
        }
    }

    private void apply() {
        boolean allowed = ready;
        loop.allowCampaigns(allowed);
        LOG.info(
                "Node {} {} campaign for leadership: the application {} traffic",
                loop.nodeId(),
                allowed ? "may" : "does not",
                allowed ? "accepts" : "refuses");
        if (!allowed && loop.status().role() == Role.LEADER) {
            leadership.stepDown();
        }
    }

    @Override
    public void start() {
        running = true;
        apply();
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return phase;
    }
}

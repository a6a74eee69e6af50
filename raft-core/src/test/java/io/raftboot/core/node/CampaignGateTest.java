package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Campaigns that wait for the application (issue 16: leadership that follows readiness). */
class CampaignGateTest {

    @Test
    void aVoterThatMayNotCampaignVotesButNeverLeadsUntilAllowed() {
        Network net = Network.ofThreeLedByA(98);
        net.node("b").allowCampaigns(false);
        net.node("c").allowCampaigns(false);

        net.crash("a");
        net.tickAll(10 * net.config().electionTicks());
        assertThat(net.leader()).as("nobody may campaign: no leader").isNull();

        net.node("c").allowCampaigns(true);
        net.tickUntil(() -> net.leader() != null, 4 * net.config().electionTicks(), "a leader");
        assertThat(net.leader().id()).as("b voted for c, and never ran itself").isEqualTo("c");
    }
}

package io.raftboot.testsupport.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** When the fault test and the benchmarks call a leader agreed. */
class LeaderAgreementTest {

    private static final List<String> ALL = List.of("n1", "n2", "n3");

    record Report(String nodeId, String role, long term, String leaderId) implements RoleReport {}

    @Test
    void oneLeaderWithBothOthersItsFollowersInItsTermIsAgreed() {
        Map<String, Report> reports = reports(leader("n1", 5), follower("n2", "n1", 5), follower("n3", "n1", 5));
        assertThat(LeaderAgreement.among(reports, ALL)).contains(reports.get("n1"));
    }

    @Test
    void aFollowerOfTheLeaderInAnOlderTermBreaksTheAgreement() {
        assertThat(LeaderAgreement.among(
                        reports(leader("n1", 5), follower("n2", "n1", 5), follower("n3", "n1", 4)), ALL))
                .isEmpty();
    }

    @Test
    void aFollowerOfAnotherNodeBreaksTheAgreement() {
        assertThat(LeaderAgreement.among(
                        reports(leader("n1", 5), follower("n2", "n1", 5), follower("n3", "n2", 5)), ALL))
                .isEmpty();
    }

    @Test
    void twoLeadersAreNoAgreement() {
        assertThat(LeaderAgreement.among(reports(leader("n1", 5), leader("n2", 6), follower("n3", "n2", 6)), ALL))
                .isEmpty();
    }

    @Test
    void aNodeThatDidNotAnswerBreaksTheAgreement() {
        Map<String, Report> reports = reports(leader("n1", 5), follower("n2", "n1", 5));
        assertThat(LeaderAgreement.among(reports, ALL)).isEmpty();
        reports.put("n3", new Report("n3", null, -1, null));
        assertThat(LeaderAgreement.among(reports, ALL)).isEmpty();
    }

    @Test
    void onlyTheNodesAskedAboutCount() {
        Map<String, Report> reports =
                reports(leader("n1", 5), follower("n2", "n1", 5), new Report("n3", null, -1, null));
        assertThat(LeaderAgreement.among(reports, List.of("n1", "n2"))).contains(reports.get("n1"));
    }

    @Test
    void aLeaderOfATermNotAboveTheGivenOneIsNotANewLeader() {
        Map<String, Report> reports = reports(leader("n1", 5), follower("n2", "n1", 5), follower("n3", "n1", 5));
        assertThat(LeaderAgreement.among(reports, ALL, 5)).isEmpty();
        assertThat(LeaderAgreement.among(reports, ALL, 4)).contains(reports.get("n1"));
    }

    private static Report leader(String id, long term) {
        return new Report(id, "LEADER", term, id);
    }

    private static Report follower(String id, String leader, long term) {
        return new Report(id, "FOLLOWER", term, leader);
    }

    private static Map<String, Report> reports(Report... reports) {
        Map<String, Report> map = new LinkedHashMap<>();
        for (Report r : reports) {
            map.put(r.nodeId(), r);
        }
        return map;
    }
}

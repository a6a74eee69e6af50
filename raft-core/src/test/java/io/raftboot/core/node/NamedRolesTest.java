package io.raftboot.core.node;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * Named roles (issue 16) on a lockstep cluster: every node ticks once per round, so one round is
 * the same instant on every node and "held" can be compared across nodes round by round. The
 * simulation checks the same promises under random faults and clock drift.
 */
class NamedRolesTest {

    @Test
    void everyOfferedRoleIsHeldByOneNodeAndTheLoadIsSpread() {
        Network net = Network.ofThreeLedByA(91);
        for (String id : List.of("a", "b", "c")) {
            offer(net, id, "x", "y", "z");
        }

        net.tickUntil(() -> allHolders(net).size() == 3, 40, "every role held");
        net.tickUntil(() -> allHolders(net).stream().distinct().count() == 3, 60, "one role each");

        for (int round = 1; round <= 30; round++) {
            net.tickAll();
            assertThat(allHolders(net))
                    .as("round %d: balanced, so nothing moves", round)
                    .containsExactlyInAnyOrder("a", "b", "c");
        }
        for (RaftNode n : net.liveNodes()) {
            for (HeldRole held : n.heldRoles()) {
                assertThat(held.token())
                        .as("the token is the index of the grant")
                        .isEqualTo(n.roleAssignments().get(held.role()).token());
            }
        }
    }

    @Test
    void aHolderCutOffFromTheLeaderLosesItsRoleBeforeAnotherNodeGetsIt() {
        Network net = Network.ofThreeLedByA(92);
        offer(net, "b", "x");
        offer(net, "c", "x");
        net.tickUntil(() -> holders(net, "x").size() == 1, 40, "x held");
        String first = holders(net, "x").get(0);
        String other = first.equals("b") ? "c" : "b";

        net.isolate(first);
        int lostAfter = -1;
        for (int round = 1; round <= 60 && !holders(net, "x").equals(List.of(other)); round++) {
            net.tickAll();
            assertThat(holders(net, "x")).as("round %d", round).hasSizeLessThanOrEqualTo(1);
            if (lostAfter < 0
                    && !net.node(first).heldRoles().stream()
                            .anyMatch(h -> h.role().equals("x"))) {
                lostAfter = round;
            }
        }

        assertThat(holders(net, "x")).containsExactly(other);
        assertThat(lostAfter)
                .as("the cut-off holder lost x within its role lease")
                .isBetween(1, net.config().roleLeaseTicks() + 1);
    }

    @Test
    void aNewLeaderDoesNotGrantARoleItsPredecessorRevokedBeforeTheOldHoldersProofRanOut() {
        // A long election timeout: b's proof (roleLeaseTicks) then outlasts the few rounds that a
        // transfer, the new leader's first commit and a grant take.
        Network net = new Network(
                ProtocolSettings.of(Membership.ofVoters("a", "b", "c")).withTicks(20, 1), 93);
        net.elect("a");
        net.tickAll();
        offer(net, "a", "z");
        offer(net, "b", "x", "y");
        net.tickUntil(
                () -> holders(net, "x").equals(List.of("b"))
                        && holders(net, "y").equals(List.of("b"))
                        && holders(net, "z").equals(List.of("a")),
                60,
                "b holds x and y, a holds z");

        // b hears nothing more (so it never learns of the revocation and keeps its last proof);
        // c now offers x and y too, a moves one of them off b for balance (b does not release
        // it) and hands leadership to c as soon as that revocation is in its log.
        net.dropWhere(m -> m.to().equals("b"));
        offer(net, "c", "x", "y");
        net.tickUntil(() -> net.node("a").roleAssignments().size() == 2, 20, "a revoked a role from b");
        String moved = net.node("a").roleAssignments().containsKey("x") ? "y" : "x";
        net.node("a").transferLeadership("c");
        net.flush("a");

        for (int round = 1; round <= 80; round++) {
            net.tickAll();
            assertThat(holders(net, moved)).as("round %d", round).hasSizeLessThanOrEqualTo(1);
        }
        assertThat(net.leader().id()).isEqualTo("c");
        assertThat(holders(net, moved))
                .as("granted again once b's proof surely ran out")
                .containsExactly("c");
    }

    @Test
    void aRoleTheHolderReleasesMovesWithoutWaitingForItsProofToRunOut() {
        Network net = Network.ofThreeLedByA(94);
        offer(net, "b", "x");
        net.tickUntil(() -> holders(net, "x").equals(List.of("b")), 40, "b holds x");
        offer(net, "c", "x");

        offer(net, "b"); // b stops offering x: it stops at once and releases it
        assertThat(holders(net, "x")).as("b let go at once").isEmpty();
        int rounds = net.tickUntil(() -> holders(net, "x").equals(List.of("c")), 40, "c holds x");

        assertThat(rounds)
                .as("no wait for b's proof: revocation, grant and echo take a few rounds")
                .isLessThan(net.config().roleWaitTicks());
    }

    @Test
    void rolesStayHeldThroughALeadershipTransfer() {
        Network net = Network.ofThreeLedByA(95);
        offer(net, "b", "x");
        net.tickUntil(() -> holders(net, "x").equals(List.of("b")), 40, "b holds x");

        net.node("a").transferLeadership("c");
        net.flush("a");
        for (int round = 1; round <= 30; round++) {
            net.tickAll();
            assertThat(holders(net, "x")).as("round %d", round).containsExactly("b");
        }
        assertThat(net.leader().id()).isEqualTo("c");
    }

    @Test
    void anOperatorMovesARoleAndTheBalanceLeavesItThere() {
        Network net = Network.ofThreeLedByA(96);
        offer(net, "b", "x");
        offer(net, "c", "x");
        net.tickUntil(() -> holders(net, "x").size() == 1, 40, "x held");
        String target = holders(net, "x").get(0).equals("b") ? "c" : "b";

        net.node("a").moveRole("x", target);
        net.tickUntil(() -> holders(net, "x").equals(List.of(target)), 40, "x moved to " + target);
        for (int round = 1; round <= 30; round++) {
            net.tickAll();
            assertThat(holders(net, "x")).as("round %d", round).containsExactly(target);
        }
    }

    @Test
    void aMoveToANodeThatDoesNotOfferTheRoleIsRefused() {
        Network net = Network.ofThreeLedByA(97);
        offer(net, "b", "x");
        net.tickAll(3);

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.node("a").moveRole("x", "c"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not offer");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> net.node("b").moveRole("x", "b"))
                .isInstanceOf(NotLeaderException.class);
    }

    private static void offer(Network net, String id, String... roles) {
        Map<String, Integer> weights = new TreeMap<>();
        for (String role : roles) {
            weights.put(role, 1);
        }
        net.node(id).offerRoles(new RoleCandidacy(true, weights));
        net.flush(id);
    }

    private static List<String> allHolders(Network net) {
        List<String> all = new ArrayList<>();
        for (String role : List.of("x", "y", "z")) {
            all.addAll(holders(net, role));
        }
        return all;
    }

    private static List<String> holders(Network net, String role) {
        List<String> holders = new ArrayList<>();
        for (RaftNode n : net.liveNodes()) {
            if (n.heldRoles().stream().anyMatch(h -> h.role().equals(role))) {
                holders.add(n.id());
            }
        }
        return holders;
    }
}

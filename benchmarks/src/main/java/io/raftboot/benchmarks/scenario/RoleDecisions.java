package io.raftboot.benchmarks.scenario;

import io.raftboot.benchmarks.cluster.RoleEvents;
import io.raftboot.testsupport.process.NodeProcess;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * When the Raft leader revoked a role from a victim and granted it to another node, from the
 * logs of the nodes that may have led meanwhile (from marks taken before the fault). These split a
 * measured role failover into its parts: detection (fault -> revocation), the wait for the old
 * holder's proof to run out (revocation -> grant), and the grant reaching its holder (grant ->
 * held, committed and confirmed by a heartbeat).
 */
record RoleDecisions(List<RoleEvents.Event> events) {

    /** Both decisions about one role, epoch ms; either -1 when not logged. */
    record Decision(long revokedMillis, long grantedMillis, String reason) {}

    static RoleDecisions read(Collection<NodeProcess> nodes, Map<String, Long> marks, long fromMillis) {
        List<RoleEvents.Event> all = new ArrayList<>();
        for (NodeProcess n : nodes) {
            RoleEvents.read(n.logFile(), marks.getOrDefault(n.id(), 0L)).stream()
                    .filter(e -> e.epochMillis() >= fromMillis)
                    .forEach(all::add);
        }
        all.sort(Comparator.comparingLong(RoleEvents.Event::epochMillis));
        return new RoleDecisions(all);
    }

    /** The first revocation of {@code role} from {@code victim}, then the first grant of it after that. */
    Decision of(String role, String victim) {
        Optional<RoleEvents.Event> revoked = events.stream()
                .filter(e -> e.kind() == RoleEvents.Kind.REVOKED
                        && e.role().equals(role)
                        && e.node().equals(victim))
                .findFirst();
        long from = revoked.map(RoleEvents.Event::epochMillis).orElse(Long.MIN_VALUE);
        Optional<RoleEvents.Event> granted = events.stream()
                .filter(e -> e.kind() == RoleEvents.Kind.GRANTED
                        && e.role().equals(role)
                        && !e.node().equals(victim)
                        && e.epochMillis() >= from)
                .findFirst();
        return new Decision(
                revoked.map(RoleEvents.Event::epochMillis).orElse(-1L),
                granted.map(RoleEvents.Event::epochMillis).orElse(-1L),
                revoked.map(RoleEvents.Event::reason).orElse(""));
    }
}

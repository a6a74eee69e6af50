package io.raftboot.spring.integration;

import io.raftboot.spring.roles.RoleSource;
import java.util.Set;
import java.util.TreeSet;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.event.AbstractLeaderEvent;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

/**
 * The application's own Spring Integration {@link Candidate} beans, driven by Raft (issue 16): a
 * candidate whose role is {@code raft.integration.role} follows Raft leadership, any other one the
 * named role of its name, which this node then offers ({@link RoleSource}). The starter calls
 * {@link Candidate#onGranted} / {@link Candidate#onRevoked} with the same {@code Context} its
 * {@code OnGrantedEvent} / {@code OnRevokedEvent} carry, as a leader initiator would; only for
 * the events the starter publishes, never for another initiator's.
 */
public class CandidateRoles implements RoleSource, ApplicationListener<ApplicationEvent> {

    private final ObjectProvider<Candidate> candidates;
    private final String leaderRole;

    public CandidateRoles(ObjectProvider<Candidate> candidates, String leaderRole) {
        this.candidates = candidates;
        this.leaderRole = leaderRole;
    }

    @Override
    public Set<String> roleNames() {
        Set<String> names = new TreeSet<>();
        candidates
                .orderedStream()
                .map(Candidate::getRole)
                .filter(role -> !role.equals(leaderRole))
                .forEach(names::add);
        return names;
    }

    @Override
    public void onApplicationEvent(ApplicationEvent event) {
        if (!(event instanceof AbstractLeaderEvent leaderEvent) || !publishedByTheStarter(leaderEvent)) {
            return;
        }
        for (Candidate candidate : candidates.orderedStream().toList()) {
            if (!candidate.getRole().equals(leaderEvent.getRole())) {
                continue;
            }
            if (event instanceof OnGrantedEvent) {
                try {
                    candidate.onGranted(leaderEvent.getContext());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt(); // as an initiator does: the callback gave up
                }
            } else if (event instanceof OnRevokedEvent) {
                candidate.onRevoked(leaderEvent.getContext());
            }
        }
    }

    private static boolean publishedByTheStarter(AbstractLeaderEvent event) {
        return event.getSource() instanceof IntegrationLeaderEventPublisher
                || event.getSource() instanceof IntegrationRoleEventPublisher;
    }
}

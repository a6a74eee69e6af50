package io.raftboot.spring.integration;

import io.raftboot.spring.leadership.LeadershipService;
import io.raftboot.spring.leadership.RaftRoleEvent;
import io.raftboot.spring.leadership.RoleGrantedEvent;
import io.raftboot.spring.roles.RoleOffers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

/**
 * Republishes the named roles this node gains and loses as Spring Integration's
 * {@link OnGrantedEvent} / {@link OnRevokedEvent} with the role's name, so
 * {@code SmartLifecycleRoleController} starts and stops the endpoints of that role. Raft
 * leadership itself keeps its own role, {@code raft.integration.role}
 * ({@link IntegrationLeaderEventPublisher}); do not give a named role that name.
 */
public class IntegrationRoleEventPublisher implements ApplicationListener<RaftRoleEvent> {

    private final ApplicationEventPublisher publisher;
    private final LeadershipService leadership;
    private final RoleOffers offers;
    private final Map<String, RaftRoleContext> contexts = new ConcurrentHashMap<>();

    public IntegrationRoleEventPublisher(
            ApplicationEventPublisher publisher, LeadershipService leadership, RoleOffers offers) {
        this.publisher = publisher;
        this.leadership = leadership;
        this.offers = offers;
    }

    @Override
    public void onApplicationEvent(RaftRoleEvent event) {
        String role = event.getRole();
        RaftRoleContext context = contexts.computeIfAbsent(role, r -> new RaftRoleContext(leadership, offers, r));
        if (event instanceof RoleGrantedEvent) {
            publisher.publishEvent(new OnGrantedEvent(this, context, role));
        } else {
            publisher.publishEvent(new OnRevokedEvent(this, context, role));
        }
    }
}

package io.raftboot.spring.integration;

import io.raftboot.spring.leadership.LeadershipGrantedEvent;
import io.raftboot.spring.leadership.LeadershipRevokedEvent;
import io.raftboot.spring.leadership.RaftLeadershipEvent;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.integration.leader.event.OnGrantedEvent;
import org.springframework.integration.leader.event.OnRevokedEvent;

/**
 * Republishes Raft leadership as Spring Integration's {@link OnGrantedEvent} /
 * {@link OnRevokedEvent}, so {@code SmartLifecycleRoleController} and {@code @Role} beans start
 * and stop with Raft leadership unchanged.
 */
public class IntegrationLeaderEventPublisher implements ApplicationListener<RaftLeadershipEvent> {

    private final ApplicationEventPublisher publisher;
    private final RaftLeaderContext context;

    public IntegrationLeaderEventPublisher(ApplicationEventPublisher publisher, RaftLeaderContext context) {
        this.publisher = publisher;
        this.context = context;
    }

    @Override
    public void onApplicationEvent(RaftLeadershipEvent event) {
        if (event instanceof LeadershipGrantedEvent) {
            publisher.publishEvent(new OnGrantedEvent(this, context, context.getRole()));
        } else if (event instanceof LeadershipRevokedEvent) {
            publisher.publishEvent(new OnRevokedEvent(this, context, context.getRole()));
        }
    }
}

package io.raftboot.spring.autoconfigure;

import io.raftboot.spring.config.ReplicatedConfig;
import io.raftboot.spring.disabled.DisabledLeadershipService;
import io.raftboot.spring.disabled.DisabledReplicatedConfig;
import io.raftboot.spring.leadership.LeadershipService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

/**
 * {@code raft.enabled=false}: no node, no server, no files; but beans that inject {@link
 * LeadershipService} or {@link ReplicatedConfig} still start, and get answers that are safe when
 * every replica gives them (never the leader; an empty config that refuses writes). {@code
 * @LeaderOnly} stays in force, so leader-only jobs are skipped instead of running everywhere.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "raft", name = "enabled", havingValue = "false")
@Import(RaftAnnotationConfiguration.class)
public class RaftDisabledAutoConfiguration {

    private static final Logger LOG = LoggerFactory.getLogger(RaftDisabledAutoConfiguration.class);

    @Bean
    @ConditionalOnMissingBean
    public LeadershipService leadershipService(Environment environment) {
        LOG.info("raft.enabled=false: this node never leads, @LeaderOnly methods are skipped, and the"
                + " replicated config is empty and refuses writes");
        return new DisabledLeadershipService(environment.getProperty("raft.node-id", "disabled"));
    }

    @Bean
    @ConditionalOnMissingBean
    public ReplicatedConfig replicatedConfig() {
        return new DisabledReplicatedConfig();
    }
}

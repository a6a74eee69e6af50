package io.raftboot.spring.autoconfigure;

import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.Transport;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.ProtocolSettings;
import io.raftboot.core.storage.FileStorage;
import io.raftboot.core.storage.Storage;
import io.raftboot.core.store.ConfigStore;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerDirectory;
import io.raftboot.spring.grpc.GrpcTransport;
import io.raftboot.spring.grpc.MessageRelay;
import io.raftboot.spring.grpc.PendingReplies;
import io.raftboot.spring.grpc.RaftGrpcServer;
import io.raftboot.spring.leadership.LeadershipTracker;
import io.raftboot.spring.leadership.RoleTracker;
import io.raftboot.spring.roles.RoleOffers;
import io.raftboot.spring.support.RaftExecutors;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The Raft node of this application: validated settings, durable storage, the config store
 * state machine and the {@link RaftLoop} driving them, started by {@link RaftLifecycle}. The
 * gRPC transport, the services and the annotations come from the imported configurations.
 * Everything is off with {@code raft.enabled=false}; every bean can be replaced by one of the
 * same type.
 */
@AutoConfiguration
@ConditionalOnProperty(prefix = "raft", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(RaftProperties.class)
@Import({RaftGrpcConfiguration.class, RaftServicesConfiguration.class, RaftAnnotationConfiguration.class})
public class RaftAutoConfiguration {

    /** Entries per AppendEntries and AppendEntries in flight per follower: config writes are small. */
    static final int MAX_ENTRIES_PER_APPEND = 64;

    static final int MAX_INFLIGHT_APPENDS = 4;

    @Bean
    @ConditionalOnMissingBean
    public ClusterSettings raftClusterSettings(RaftProperties properties) {
        return ClusterSettingsValidator.validate(properties);
    }

    /** Who the members are and where they listen: raft.peers, then the configuration in the log. */
    @Bean
    @ConditionalOnMissingBean
    public PeerDirectory raftPeerDirectory(ClusterSettings settings) {
        return new PeerDirectory(settings);
    }

    @Bean
    @ConditionalOnMissingBean
    public RaftExecutors raftExecutors(ClusterSettings settings) {
        return new RaftExecutors(settings.nodeId());
    }

    /** The loop owns the storage and closes it; no destroy method here. */
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    public Storage raftStorage(ClusterSettings settings) {
        return new FileStorage(settings.dataDir(), settings.nodeId(), settings.clusterId());
    }

    @Bean
    @ConditionalOnMissingBean
    public ConfigStore raftConfigStore(ClusterSettings settings, RaftProperties properties) {
        // raft.max-config-keys was checked by ClusterSettingsValidator, as every setting is.
        return new ConfigStore(
                ConfigStore.DEFAULT_MAX_KEY_BYTES, (int) settings.maxValueBytes(), properties.getMaxConfigKeys());
    }

    @Bean
    @ConditionalOnMissingBean
    public RaftLoop raftLoop(
            ClusterSettings settings,
            RaftProperties properties,
            Storage storage,
            ConfigStore store,
            Transport transport,
            MessageRelay relay,
            PeerDirectory directory) {
        // The bootstrap membership of a new cluster carries every address, so that each
        // configuration in the log does too (a new member learns where the others listen).
        Map<String, String> addresses = new TreeMap<>();
        settings.members().forEach((id, address) -> addresses.put(id, address.toString()));
        ProtocolSettings config = new ProtocolSettings(
                new Membership(settings.voters(), settings.learners(), Set.of(), addresses),
                settings.electionTicks(),
                settings.heartbeatTicks(),
                settings.maxClockDrift(),
                MAX_ENTRIES_PER_APPEND,
                MAX_INFLIGHT_APPENDS,
                true,
                true);
        RaftLoop loop = new RaftLoop(
                settings.nodeId(),
                config,
                settings.tick(),
                storage,
                store,
                transport,
                new SplittableRandom(),
                properties.getSnapshotThreshold(),
                properties.getMaxPendingRequests());
        relay.attach(loop::receive);
        // Re-apply the committed log now, while the context is created and before the web server
        // starts: nothing can then read a config older than before the restart. The network
        // part starts later, in RaftLifecycle.
        loop.recover();
        directory.adoptRecovered(loop.status());
        loop.addListener(directory);
        return loop;
    }

    @Bean
    @ConditionalOnMissingBean
    public RaftLifecycle raftLifecycle(
            RaftLoop loop,
            LeadershipTracker tracker,
            ObjectProvider<GrpcTransport> transport,
            PendingReplies pending,
            RaftProperties properties,
            RaftExecutors executors,
            ClusterSettings settings,
            ObjectProvider<RaftGrpcServer> server,
            ObjectProvider<RoleTracker> roleTracker,
            ObjectProvider<RoleOffers> roleOffers) {
        RaftLifecycle lifecycle = new RaftLifecycle(
                loop,
                tracker,
                transport.getIfAvailable(),
                pending,
                properties.getShutdown().getHandoffTimeout(),
                executors,
                settings.electionTimeout(),
                server.getIfAvailable());
        // Two election timeouts: a follower's withdrawal reaches the leader with its next
        // response, the revocation commits in a round trip, and this node learns it with the
        // following heartbeat; well within, unless the cluster has no leader.
        lifecycle.withRoles(
                roleTracker.getIfAvailable(),
                roleOffers.getIfAvailable(),
                settings.electionTimeout().multipliedBy(2));
        return lifecycle;
    }
}

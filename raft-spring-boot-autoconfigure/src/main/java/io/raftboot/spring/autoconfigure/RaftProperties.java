package io.raftboot.spring.autoconfigure;

import io.raftboot.spring.grpc.security.TlsIdentity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings of one Raft node, under {@code raft.*}. Every replica of the service lists the same
 * {@link #getPeers() peers} and {@link #getClusterId() cluster id} and its own
 * {@link #getNodeId() node id}. The defaults elect a new leader well under a second after the
 * old one dies. See {@code docs/configuration.md}.
 */
@ConfigurationProperties("raft")
public class RaftProperties {

    /** Whether this application joins a Raft cluster at all. */
    private boolean enabled = true;

    /**
     * A cluster of this one node, for tests and local runs: it elects itself at once, on a free
     * loopback port, and raft.peers and raft.learners are ignored. Never for production: no
     * replica takes over when it stops. Logged as a warning at startup.
     */
    private boolean singleNode = false;

    /**
     * This node's id: one of the keys of raft.peers. The seed's BROKER_ID environment variable,
     * or the StatefulSet ordinal with K8S=true, is used when this is not set.
     */
    private String nodeId;

    /**
     * All members of the cluster, this node included: node id to gRPC address (host:port). The
     * same map on every replica. This node's gRPC server listens on the port of its own entry
     * unless grpc.server.port is set. The seed's CLUSTER environment variable is used when this
     * is empty.
     */
    private Map<String, String> peers = new LinkedHashMap<>();

    /**
     * Name of the cluster. Requests from a node with another cluster id are refused, so two
     * clusters sharing hosts cannot mix.
     */
    private String clusterId = "default";

    /**
     * Directory of the Raft log, hard state (term and vote) and snapshots of this node. Must
     * survive restarts: a node that forgets its vote can break elections. Defaults to
     * ./raft-data/<node-id>.
     */
    private Path dataDir;

    /**
     * Election timeout T: a follower that hears no leader for a random time in [T, 2T) starts
     * an election; a leader without majority contact for 2T steps down (check-quorum). Must be
     * more than twice the heartbeat interval.
     */
    private Duration electionTimeout = Duration.ofMillis(300);

    /**
     * How often the leader sends heartbeats (empty AppendEntries) to each follower; also
     * renews the leader lease.
     */
    private Duration heartbeatInterval = Duration.ofMillis(50);

    /**
     * Ids (keys of raft.peers) of non-voting members: they replicate the log and know the
     * leader, but never vote, count toward a quorum or become leader.
     */
    private Set<String> learners = new LinkedHashSet<>();

    /**
     * Deadline of one Raft RPC (AppendEntries, RequestVote, TimeoutNow) to a peer. Defaults to
     * four election timeouts: a reply that arrives late still counts (terms guard staleness, the
     * lease counts from the send time), so the deadline must not be what limits the round trip a
     * cluster survives. InstallSnapshot gets ten times as long.
     */
    private Duration rpcTimeout;

    /** Largest gRPC message this node accepts; a snapshot travels in one message. */
    private DataSize maxMessageSize = DataSize.ofMegabytes(16);

    /** Largest value (in bytes, after UTF-8 encoding) that the replicated config store accepts. */
    private DataSize maxValueSize = DataSize.ofKilobytes(64);

    /**
     * Most keys the replicated config store holds: a write that would create a key beyond it
     * fails with ConfigStoreFullException (updates of existing keys and deletes still work). The
     * node that proposes a write stamps its limit into the log entry, so replicas never disagree;
     * set the same value on every node. 0 means no limit.
     */
    private int maxConfigKeys = 10_000;

    /**
     * Inputs (peer messages, proposed writes, reads) that may wait for the Raft loop thread. When
     * full, peer messages are dropped (Raft resends) and a write is refused as overloaded (on the
     * leader, or OVERLOADED to a follower's forward) and retried until raft.write-timeout.
     */
    private int maxPendingRequests = 4096;

    /**
     * How long a config write may wait for a leader and for its commit. A write that finds no
     * leader within this time fails with NoLeaderException.
     */
    private Duration writeTimeout = Duration.ofSeconds(3);

    /**
     * Bound on how much faster one node's clock may run than another's, as a fraction; it
     * shortens the leader lease that isLeader() and @LeaderOnly rely on.
     */
    private double maxClockDrift = 0.1;

    /**
     * Crash-fast detection: when the connection on which the leader sends heartbeats closes and
     * a new connection to its gRPC port is refused (its process is gone), followers campaign at
     * once instead of after the election timeout. A frozen leader is still found by the timeout.
     * Turn off behind proxies that answer for dead peers.
     */
    private boolean crashDetection = true;

    /**
     * Log entries applied since the last snapshot after which the config store is snapshotted
     * and the log compacted; 0 never snapshots.
     */
    private long snapshotThreshold = 10_000;

    /** Settings for running as a Kubernetes StatefulSet (seed mode K8S=true). */
    private final Kubernetes kubernetes = new Kubernetes();

    /** Settings of the raft health indicator. */
    private final Health health = new Health();

    /** Settings of the graceful shutdown. */
    private final Shutdown shutdown = new Shutdown();

    /** Settings of membership changes at runtime. */
    private final Membership membership = new Membership();

    /** The gRPC server that receives Raft requests. */
    private final Server server = new Server();

    /** Settings of the Spring Integration leadership events. */
    private final Integration integration = new Integration();

    /** Mutual TLS between peers (see docs/security.md). */
    private final Tls tls = new Tls();

    /** Shared-secret request authentication between peers (see docs/security.md). */
    private final Auth auth = new Auth();

    /**
     * Named roles (issue 16), by role name: each is held by one node at a time, chosen by the
     * leader among the nodes that offer it. A node offers every role named here or in a
     * role attribute of @LeaderOnly, @OnLeader or @OnLeaderRevoked, unless its id is in the
     * role's excluded-nodes.
     */
    private final Map<String, RoleSettings> roles = new LinkedHashMap<>();

    /** When this node offers its named roles. */
    private final Availability availability = new Availability();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public boolean isSingleNode() {
        return singleNode;
    }

    public void setSingleNode(boolean singleNode) {
        this.singleNode = singleNode;
    }

    public String getNodeId() {
        return nodeId;
    }

    public void setNodeId(String nodeId) {
        this.nodeId = nodeId;
    }

    public Map<String, String> getPeers() {
        return peers;
    }

    public void setPeers(Map<String, String> peers) {
        this.peers = peers;
    }

    public String getClusterId() {
        return clusterId;
    }

    public void setClusterId(String clusterId) {
        this.clusterId = clusterId;
    }

    public Path getDataDir() {
        return dataDir;
    }

    public void setDataDir(Path dataDir) {
        this.dataDir = dataDir;
    }

    /** The data directory, or its default {@code ./raft-data/<node-id>}. */
    public Path resolvedDataDir() {
        return dataDir != null ? dataDir : Path.of("raft-data", nodeId == null ? "node" : nodeId);
    }

    public Duration getElectionTimeout() {
        return electionTimeout;
    }

    public void setElectionTimeout(Duration electionTimeout) {
        this.electionTimeout = electionTimeout;
    }

    public Duration getHeartbeatInterval() {
        return heartbeatInterval;
    }

    public void setHeartbeatInterval(Duration heartbeatInterval) {
        this.heartbeatInterval = heartbeatInterval;
    }

    public Set<String> getLearners() {
        return learners;
    }

    public void setLearners(Set<String> learners) {
        this.learners = learners;
    }

    public Duration getRpcTimeout() {
        return rpcTimeout;
    }

    public void setRpcTimeout(Duration rpcTimeout) {
        this.rpcTimeout = rpcTimeout;
    }

    /** The RPC deadline, or its default: {@value #DEFAULT_RPC_TIMEOUT_ELECTION_TIMEOUTS} election timeouts. */
    public Duration resolvedRpcTimeout() {
        return rpcTimeout != null ? rpcTimeout : electionTimeout.multipliedBy(DEFAULT_RPC_TIMEOUT_ELECTION_TIMEOUTS);
    }

    /**
     * The default RPC deadline in election timeouts. It was one election timeout: at a round trip
     * of about the election timeout every reply then arrived after its call had failed, the
     * leader stepped down (check-quorum) and no election could complete (issue 18).
     */
    static final int DEFAULT_RPC_TIMEOUT_ELECTION_TIMEOUTS = 4;

    public DataSize getMaxMessageSize() {
        return maxMessageSize;
    }

    public void setMaxMessageSize(DataSize maxMessageSize) {
        this.maxMessageSize = maxMessageSize;
    }

    public DataSize getMaxValueSize() {
        return maxValueSize;
    }

    public void setMaxValueSize(DataSize maxValueSize) {
        this.maxValueSize = maxValueSize;
    }

    public int getMaxConfigKeys() {
        return maxConfigKeys;
    }

    public void setMaxConfigKeys(int maxConfigKeys) {
        this.maxConfigKeys = maxConfigKeys;
    }

    public int getMaxPendingRequests() {
        return maxPendingRequests;
    }

    public void setMaxPendingRequests(int maxPendingRequests) {
        this.maxPendingRequests = maxPendingRequests;
    }

    public Duration getWriteTimeout() {
        return writeTimeout;
    }

    public void setWriteTimeout(Duration writeTimeout) {
        this.writeTimeout = writeTimeout;
    }

    public double getMaxClockDrift() {
        return maxClockDrift;
    }

    public void setMaxClockDrift(double maxClockDrift) {
        this.maxClockDrift = maxClockDrift;
    }

    public boolean isCrashDetection() {
        return crashDetection;
    }

    public void setCrashDetection(boolean crashDetection) {
        this.crashDetection = crashDetection;
    }

    public long getSnapshotThreshold() {
        return snapshotThreshold;
    }

    public void setSnapshotThreshold(long snapshotThreshold) {
        this.snapshotThreshold = snapshotThreshold;
    }

    public Integration getIntegration() {
        return integration;
    }

    public Kubernetes getKubernetes() {
        return kubernetes;
    }

    public Health getHealth() {
        return health;
    }

    public Server getServer() {
        return server;
    }

    public Membership getMembership() {
        return membership;
    }

    public Shutdown getShutdown() {
        return shutdown;
    }

    public Tls getTls() {
        return tls;
    }

    public Map<String, RoleSettings> getRoles() {
        return roles;
    }

    public Availability getAvailability() {
        return availability;
    }

    public Auth getAuth() {
        return auth;
    }

    /** Never shows the shared secret. */
    @Override
    public String toString() {
        return "RaftProperties[enabled=" + enabled + ", nodeId=" + nodeId + ", clusterId=" + clusterId + ", peers="
                + peers
                + ", learners=" + learners + ", dataDir=" + dataDir + ", electionTimeout=" + electionTimeout
                + ", heartbeatInterval=" + heartbeatInterval + ", rpcTimeout=" + rpcTimeout + ", maxMessageSize="
                + maxMessageSize
                + ", maxValueSize=" + maxValueSize + ", maxConfigKeys=" + maxConfigKeys + ", writeTimeout="
                + writeTimeout + ", tls=" + tls + ", auth=" + auth + "]";
    }

    /** Mutual TLS between peers. */
    public static class Tls {

        /**
         * Name of the Spring Boot SSL bundle (spring.ssl.bundle.pem.<name> or .jks.<name>)
         * holding this node's certificate and private key and the CA certificates that issue the
         * peers' certificates. When set, peer channels use TLS with this bundle and, unless
         * grpc.server.security.enabled is set, the gRPC server uses it too and requires client
         * certificates. Empty: plaintext.
         */
        private String bundle;

        /**
         * Which part of a peer's certificate must name the sender of each request: its subject
         * CN, or a DNS or URI subject alternative name. It must equal the sender's node id or
         * the host of its address in raft.peers.
         */
        private TlsIdentity identity = TlsIdentity.CN;

        public String getBundle() {
            return bundle;
        }

        public void setBundle(String bundle) {
            this.bundle = bundle;
        }

        public TlsIdentity getIdentity() {
            return identity;
        }

        public void setIdentity(TlsIdentity identity) {
            this.identity = identity;
        }

        public boolean isEnabled() {
            return bundle != null && !bundle.isBlank();
        }

        @Override
        public String toString() {
            return "Tls[bundle=" + bundle + ", identity=" + identity + "]";
        }
    }

    /** Shared-secret authentication of peer requests (HMAC-SHA256). */
    public static class Auth {

        /**
         * Secret shared by every replica (at least 16 characters, better 32 random ones). When
         * set, every Raft request and reply carries an HMAC-SHA256 over its content, a timestamp
         * and a nonce; requests without a valid one are refused. It authenticates but does not
         * encrypt: use raft.tls.bundle for confidentiality.
         */
        private String secret;

        /**
         * How far a request's timestamp may be from this node's clock; also how long nonces are
         * remembered to refuse replays. Clocks of the replicas must agree within it.
         */
        private Duration replayWindow = Duration.ofSeconds(30);

        /**
         * Most nonces remembered for replay protection; when full, requests are refused until
         * old nonces expire (bounded memory).
         */
        private int maxNonces = 200_000;

        public String getSecret() {
            return secret;
        }

        public void setSecret(String secret) {
            this.secret = secret;
        }

        public Duration getReplayWindow() {
            return replayWindow;
        }

        public void setReplayWindow(Duration replayWindow) {
            this.replayWindow = replayWindow;
        }

        public int getMaxNonces() {
            return maxNonces;
        }

        public void setMaxNonces(int maxNonces) {
            this.maxNonces = maxNonces;
        }

        public boolean isEnabled() {
            return secret != null && !secret.isEmpty();
        }

        /** Never shows the secret, only whether one is set. */
        @Override
        public String toString() {
            return "Auth[secret=" + (isEnabled() ? "******" : "<none>") + ", replayWindow=" + replayWindow
                    + ", maxNonces=" + maxNonces + "]";
        }
    }

    /** Kubernetes StatefulSet mode: peers are the set's stable DNS names. */
    public static class Kubernetes {

        /**
         * Name of the StatefulSet, the prefix of its pod names. Defaults to HOSTNAME without
         * its trailing -<ordinal>.
         */
        private String name;

        /** Headless service governing the StatefulSet. Defaults to the StatefulSet name. */
        private String service;

        /** Namespace of the StatefulSet. Defaults to the POD_NAMESPACE variable, else "default". */
        private String namespace;

        /** Number of replicas of the StatefulSet; peers are ordinals 0 to replicas - 1. */
        private int replicas = 3;

        /** gRPC port of every pod. */
        private int port = 9090;

        public String getName() {
            return name;
        }

        public void setName(String name) {
            this.name = name;
        }

        public String getService() {
            return service;
        }

        public void setService(String service) {
            this.service = service;
        }

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public int getReplicas() {
            return replicas;
        }

        public void setReplicas(int replicas) {
            this.replicas = replicas;
        }

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }
    }

    /** The raft health indicator. */
    public static class Health {

        /**
         * How long the cluster may be without a known leader (during an election) before the
         * raft health indicator reports DOWN.
         */
        private Duration leaderlessGrace = Duration.ofSeconds(5);

        /**
         * Whether the application becomes ready (Spring's ReadinessState, /actuator/health/readiness)
         * only once this node has caught up with the leader: one linearizable sync (the leader's
         * commit index, applied here) succeeded, waited for at most
         * raft.membership.catch-up-timeout. After that, readiness never depends on Raft. For
         * rolling updates; with a StatefulSet use podManagementPolicy Parallel.
         */
        private boolean readinessAfterCatchUp = false;

        public Duration getLeaderlessGrace() {
            return leaderlessGrace;
        }

        public boolean isReadinessAfterCatchUp() {
            return readinessAfterCatchUp;
        }

        public void setReadinessAfterCatchUp(boolean readinessAfterCatchUp) {
            this.readinessAfterCatchUp = readinessAfterCatchUp;
        }

        public void setLeaderlessGrace(Duration leaderlessGrace) {
            this.leaderlessGrace = leaderlessGrace;
        }
    }

    /** Changes of the cluster's members at runtime (MembershipService, the actuator's membership operations). */
    public static class Membership {

        /**
         * How long adding a voter waits for the new member to catch up and be promoted; after
         * it the call fails, and the member stays a learner that the leader promotes once caught
         * up.
         */
        private Duration catchUpTimeout = Duration.ofSeconds(60);

        /**
         * Whether a node that is not a voter of the configuration it knows (a StatefulSet pod
         * beyond raft.kubernetes.replicas, a replica started as a learner of raft.peers) asks
         * the leader to add it, and whether this node, as leader, adds nodes that ask: as a
         * learner, promoted to voter once caught up. Needs raft.auth.secret or mutual TLS, which
         * prove the joiner's id. Turn it on on every replica.
         */
        private boolean autoJoin = false;

        public boolean isAutoJoin() {
            return autoJoin;
        }

        public void setAutoJoin(boolean autoJoin) {
            this.autoJoin = autoJoin;
        }

        public Duration getCatchUpTimeout() {
            return catchUpTimeout;
        }

        public void setCatchUpTimeout(Duration catchUpTimeout) {
            this.catchUpTimeout = catchUpTimeout;
        }
    }

    /** Graceful shutdown. */
    public static class Shutdown {

        /**
         * On a graceful shutdown a leader first hands leadership to the most up-to-date voter;
         * this bounds how long it waits for another node to take over before it stops anyway.
         * 0 stops at once, without a handoff (the others elect a leader after an election
         * timeout).
         */
        private Duration handoffTimeout = Duration.ofSeconds(3);

        public Duration getHandoffTimeout() {
            return handoffTimeout;
        }

        public void setHandoffTimeout(Duration handoffTimeout) {
            this.handoffTimeout = handoffTimeout;
        }
    }

    /** Spring Integration leadership events (when spring-integration-core is present). */
    public static class Integration {

        /**
         * Role name carried by the OnGrantedEvent and OnRevokedEvent published on Raft leadership
         * changes; SmartLifecycleRoleController starts and stops the @Role beans of this name.
         */
        private String role = "raft";

        public String getRole() {
            return role;
        }

        public void setRole(String role) {
            this.role = role;
        }
    }

    /** The gRPC server that receives Raft requests. */
    public static class Server {

        /**
         * Which server serves Raft: own (a server the starter starts and stops with the node,
         * serving only Raft, on raft.server.port), shared (the application's net.devh gRPC
         * server, on grpc.server.port; without net.devh, its Spring gRPC server, on
         * spring.grpc.server.port), or auto (shared when net.devh's server is on the class path,
         * own otherwise, also beside Spring gRPC).
         */
        private ServerMode mode = ServerMode.AUTO;

        /** Address the own server binds; all interfaces when empty. */
        private String address;

        /** Port of the own server; the port of this node's entry in raft.peers when empty. */
        private Integer port;

        public ServerMode getMode() {
            return mode;
        }

        public void setMode(ServerMode mode) {
            this.mode = mode;
        }

        public String getAddress() {
            return address;
        }

        public void setAddress(String address) {
            this.address = address;
        }

        public Integer getPort() {
            return port;
        }

        public void setPort(Integer port) {
            this.port = port;
        }
    }

    /** One named role ({@code raft.roles.<name>.*}). */
    public static class RoleSettings {

        /**
         * Weight of the role, at least 1: the leader balances the sum of the weights of the
         * roles each node holds, so a heavy job counts for more than a light one.
         */
        private int weight = 1;

        /** Node ids that must not hold this role; a node whose own id is listed does not offer it. */
        private Set<String> excludedNodes = new LinkedHashSet<>();

        public int getWeight() {
            return weight;
        }

        public void setWeight(int weight) {
            this.weight = weight;
        }

        public Set<String> getExcludedNodes() {
            return excludedNodes;
        }

        public void setExcludedNodes(Set<String> excludedNodes) {
            this.excludedNodes = excludedNodes;
        }
    }

    /** When this node offers its named roles. */
    public static class Availability {

        /**
         * Whether this node offers its named roles only while the application accepts traffic
         * (Spring's ReadinessState.ACCEPTING_TRAFFIC), and withdraws them on REFUSING_TRAFFIC.
         * When false, the roles are offered as soon as the Raft node starts. Leadership of the
         * Raft cluster itself (the unnamed role) does not depend on it.
         */
        private boolean requireReadiness = true;

        /**
         * Whether this voter starts elections only while the application accepts traffic
         * (Spring's ReadinessState), and a leader that turns unready hands leadership over. Off
         * by default: if no voter is ready, no leader is elected, so config writes and
         * leader-only work stop until one is.
         */
        private boolean campaignWhenReady = false;

        public boolean isCampaignWhenReady() {
            return campaignWhenReady;
        }

        public void setCampaignWhenReady(boolean campaignWhenReady) {
            this.campaignWhenReady = campaignWhenReady;
        }

        public boolean isRequireReadiness() {
            return requireReadiness;
        }

        public void setRequireReadiness(boolean requireReadiness) {
            this.requireReadiness = requireReadiness;
        }
    }
}

package io.raftboot.spring.autoconfigure;

import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.RaftConfigurationException;
import io.raftboot.spring.grpc.security.PeerSecuritySettings;
import io.raftboot.spring.grpc.security.TlsIdentity;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.PropertyResolver;
import org.springframework.util.ClassUtils;

/**
 * Checks {@link RaftProperties} at startup and resolves them into {@link ClusterSettings} and
 * {@link PeerSecuritySettings}. Every check of a setting is here, none in a {@code @Bean} method
 * nor in the classes that use the settings (they trust what they are given); the rest of the
 * Spring layer never reads {@code RaftProperties}. Every failure is a
 * {@link RaftConfigurationException} naming the property and the fix; an even number of voters
 * only logs a warning (it works, but tolerates no more failures than one voter fewer).
 */
public final class ClusterSettingsValidator {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterSettingsValidator.class);
    private static final Duration MAX_DURATION = Duration.ofDays(1);

    /** Ticks per heartbeat: the lease and election timers are measured in fifths of it. */
    static final int HEARTBEAT_TICKS = 5;
    /** Shortest raft.auth.secret accepted. */
    static final int MIN_SECRET_CHARS = 16;
    /** Fewest inputs the Raft loop's queue must hold. */
    static final int MIN_PENDING_REQUESTS = 16;
    /** Fewest nonces the replay cache must hold. */
    static final int MIN_NONCES = 1000;
    /** raft.node-id of a single node (raft.single-node) that names none. */
    static final String SINGLE_NODE_ID = "local";
    /**
     * The properties that set the port of an application's own gRPC server, each with a class
     * present only where that server can run: a grpc.server.port left in the configuration of an
     * application without net.devh's server takes no port.
     */
    static final Map<String, String> APPLICATION_GRPC_PORTS = Map.of(
            "grpc.server.port",
            ServerMode.NET_DEVH_SERVICE,
            "spring.grpc.server.port",
            "org.springframework.grpc.server.GrpcServerFactory");

    private ClusterSettingsValidator() {}

    /** The node's settings: members, timing, sizes and limits, and the data directory (created). */
    public static ClusterSettings validate(RaftProperties p) {
        String nodeId = p.getNodeId() == null ? null : p.getNodeId().trim();
        Map<String, String> peers = p.getPeers() == null ? Map.of() : p.getPeers();
        Set<String> configuredLearners = p.getLearners() == null ? Set.of() : p.getLearners();
        if (p.isSingleNode()) {
            nodeId = nodeId == null || nodeId.isEmpty() ? SINGLE_NODE_ID : nodeId;
            String address = "127.0.0.1:" + LoopbackPort.free();
            LOG.warn(
                    "raft.single-node=true: node '{}' is a cluster of one on {}{}; for tests and local runs only,"
                            + " no replica takes over when it stops",
                    nodeId,
                    address,
                    peers.isEmpty() ? "" : " (raft.peers " + peers.keySet() + " ignored)");
            peers = Map.of(nodeId, address);
            configuredLearners = Set.of();
        }
        if (peers.isEmpty()) {
            throw new RaftConfigurationException(
                    "raft.peers",
                    "{}",
                    "no cluster members are listed",
                    "List every replica, this one included, as raft.peers.<id>=host:port, "
                            + "or set the CLUSTER environment variable (CLUSTER=1=host1:9090,2=host2:9090,3=host3:9090)."
                            + " For tests and local runs, raft.single-node=true makes a cluster of this node alone;"
                            + " raft.enabled=false turns Raft off");
        }
        if (nodeId == null || nodeId.isEmpty()) {
            throw new RaftConfigurationException(
                    "raft.node-id",
                    p.getNodeId(),
                    "this node's id is not set",
                    "Set raft.node-id to this replica's key in raft.peers, one of " + peers.keySet()
                            + " (or set BROKER_ID, or K8S=true in a StatefulSet)");
        }
        Map<String, PeerAddress> members = parsePeers(peers);
        if (!members.containsKey(nodeId)) {
            throw new RaftConfigurationException(
                    "raft.node-id",
                    nodeId,
                    "this node is not one of raft.peers " + members.keySet(),
                    "Add raft.peers." + nodeId + "=host:port for this node, or set raft.node-id to one of "
                            + members.keySet() + ". A node joining a running cluster lists the members and itself"
                            + " with raft.learners=" + nodeId + ", and the leader adds it at runtime"
                            + " (docs/operations.md, Adding and removing members)");
        }
        String clusterId = p.getClusterId();
        if (clusterId == null || clusterId.isBlank()) {
            throw new RaftConfigurationException(
                    "raft.cluster-id",
                    clusterId,
                    "the cluster id is blank",
                    "Set raft.cluster-id to the same non-blank name on every replica, or remove it to use 'default'");
        }
        Set<String> learners = new LinkedHashSet<>();
        for (String learner : configuredLearners) {
            if (!members.containsKey(learner)) {
                throw new RaftConfigurationException(
                        "raft.learners",
                        p.getLearners(),
                        "learner '" + learner + "' is not one of raft.peers " + members.keySet(),
                        "List only ids of raft.peers in raft.learners, or add raft.peers." + learner + "=host:port");
            }
            learners.add(learner);
        }
        Set<String> voters = new LinkedHashSet<>(members.keySet());
        voters.removeAll(learners);
        if (voters.isEmpty()) {
            throw new RaftConfigurationException(
                    "raft.learners",
                    p.getLearners(),
                    "every member is a learner, so no node can vote or lead",
                    "Remove at least one id (better three) from raft.learners");
        }
        // A learner's raft.peers (a node joining a running cluster) do not make the membership.
        if (voters.size() % 2 == 0 && !learners.contains(nodeId)) {
            LOG.warn(
                    "raft.peers lists {} voters {}: an even number tolerates no more failures than a cluster of {};"
                            + " add or remove one voter (or make one a learner with raft.learners)",
                    voters.size(),
                    voters,
                    voters.size() - 1);
        }
        Duration heartbeat = positive("raft.heartbeat-interval", p.getHeartbeatInterval());
        Duration election = positive("raft.election-timeout", p.getElectionTimeout());
        if (election.compareTo(heartbeat.multipliedBy(2)) <= 0) {
            throw new RaftConfigurationException(
                    "raft.election-timeout",
                    election,
                    "the election timeout must be more than twice the heartbeat interval (" + heartbeat
                            + "), or followers start elections against a live leader",
                    "Raise raft.election-timeout above "
                            + heartbeat.multipliedBy(2).toMillis()
                            + "ms (about 6x is usual) or lower raft.heartbeat-interval");
        }
        Duration rpcTimeout = positive("raft.rpc-timeout", p.resolvedRpcTimeout());
        Duration writeTimeout = positive("raft.write-timeout", p.getWriteTimeout());
        notNegative("raft.health.leaderless-grace", p.getHealth().getLeaderlessGrace());
        notNegative("raft.shutdown.handoff-timeout", p.getShutdown().getHandoffTimeout());
        positive("raft.membership.catch-up-timeout", p.getMembership().getCatchUpTimeout());
        if (!(p.getMaxClockDrift() >= 0 && p.getMaxClockDrift() < 0.5)) {
            throw new RaftConfigurationException(
                    "raft.max-clock-drift",
                    p.getMaxClockDrift(),
                    "the clock drift bound must be in [0, 0.5)",
                    "Set raft.max-clock-drift to a fraction such as 0.1 (10%)");
        }
        long maxMessage =
                p.getMaxMessageSize() == null ? -1 : p.getMaxMessageSize().toBytes();
        if (maxMessage < 1024 || maxMessage > Integer.MAX_VALUE) {
            throw new RaftConfigurationException(
                    "raft.max-message-size",
                    p.getMaxMessageSize(),
                    "the gRPC message limit must be between 1KB and 2GB",
                    "Set raft.max-message-size to a size such as 16MB");
        }
        long maxValue = p.getMaxValueSize() == null ? -1 : p.getMaxValueSize().toBytes();
        if (maxValue < 1 || maxValue >= maxMessage) {
            throw new RaftConfigurationException(
                    "raft.max-value-size",
                    p.getMaxValueSize(),
                    "the value size limit must be positive and below raft.max-message-size (" + p.getMaxMessageSize()
                            + ")",
                    "Set raft.max-value-size to a size such as 64KB, or raise raft.max-message-size");
        }
        if (p.getMaxConfigKeys() < 0) {
            throw new RaftConfigurationException(
                    "raft.max-config-keys",
                    p.getMaxConfigKeys(),
                    "the key limit of the config store must not be negative",
                    "Set raft.max-config-keys to a count such as 10000, or 0 for no limit");
        }
        if (p.getMaxPendingRequests() < MIN_PENDING_REQUESTS) {
            throw new RaftConfigurationException(
                    "raft.max-pending-requests",
                    p.getMaxPendingRequests(),
                    "the Raft loop needs room for at least 16 waiting inputs",
                    "Set raft.max-pending-requests to 16 or more (4096 by default)");
        }
        Duration tick = heartbeat.dividedBy(HEARTBEAT_TICKS);
        if (tick.isZero()) {
            throw new RaftConfigurationException(
                    "raft.heartbeat-interval",
                    heartbeat,
                    "the heartbeat interval is too short to measure",
                    "Set raft.heartbeat-interval to at least 5ms (50ms is usual)");
        }
        long electionTicks = ceilDiv(election.toNanos(), tick.toNanos());
        Path dataDir = writableDataDir(p, nodeId);
        return new ClusterSettings(
                nodeId,
                clusterId.trim(),
                members,
                voters,
                learners,
                dataDir,
                tick,
                (int) Math.min(Integer.MAX_VALUE, electionTicks),
                HEARTBEAT_TICKS,
                p.getMaxClockDrift(),
                rpcTimeout,
                writeTimeout,
                maxMessage,
                maxValue);
    }

    /**
     * Where the starter's own gRPC server listens: raft.server.address and raft.server.port, else
     * all interfaces (loopback for raft.single-node) on the port of this node's entry in
     * raft.peers. That port must not be one the application's own gRPC server takes
     * (net.devh's grpc.server.port, Spring gRPC's spring.grpc.server.port, when set and that
     * server is on the class path): two servers on one port fail at bind time with an error that
     * names neither setting.
     */
    public static InetSocketAddress ownServerAddress(
            RaftProperties p, ClusterSettings settings, PropertyResolver environment, ClassLoader classLoader) {
        RaftProperties.Server own = p.getServer();
        int port = own.getPort() != null ? own.getPort() : settings.self().port();
        for (Map.Entry<String, String> server : APPLICATION_GRPC_PORTS.entrySet()) {
            if (!ClassUtils.isPresent(server.getValue(), classLoader)) {
                continue;
            }
            String appPort = server.getKey();
            Integer taken = environment.getProperty(appPort, Integer.class);
            if (taken != null && taken != 0 && taken == port) {
                throw new RaftConfigurationException(
                        own.getPort() != null ? "raft.server.port" : "raft.peers." + settings.nodeId(),
                        port,
                        "Raft's own gRPC server would listen on the port of the application's gRPC server (" + appPort
                                + "=" + taken + ")",
                        "Give Raft a port of its own (raft.server.port, or this node's entry in raft.peers)"
                                + (appPort.equals("grpc.server.port")
                                        ? ", or serve Raft on net.devh's server with raft.server.mode=shared"
                                        : ""));
            }
        }
        String host = own.getAddress() == null || own.getAddress().isBlank()
                ? null
                : own.getAddress().trim();
        if (host == null && p.isSingleNode()) {
            return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        }
        return host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port);
    }

    /**
     * How Raft traffic is protected: raft.tls.* and raft.auth.*, checked against net.devh's
     * grpc.server.security.* (read from {@code environment}), which must agree with them. Whether
     * the SSL bundle exists is found out later, when {@code PeerSecurity} loads it.
     */
    public static PeerSecuritySettings peerSecurity(RaftProperties p, PropertyResolver environment) {
        RaftProperties.Tls tls = p.getTls();
        RaftProperties.Auth auth = p.getAuth();
        TlsIdentity identity = tls.getIdentity() == null ? TlsIdentity.CN : tls.getIdentity();
        boolean serverTls = environment.getProperty("grpc.server.security.enabled", Boolean.class, false);
        String clientAuth = environment
                .getProperty("grpc.server.security.client-auth", "NONE")
                .trim()
                .toUpperCase(Locale.ROOT);
        if (tls.isEnabled() && serverTls && !"REQUIRE".equals(clientAuth)) {
            throw new RaftConfigurationException(
                    "grpc.server.security.client-auth",
                    clientAuth,
                    "with raft.tls.bundle the gRPC server must require client certificates, or peers are not authenticated",
                    "Set grpc.server.security.client-auth=REQUIRE, or remove grpc.server.security.* to let raft.tls.bundle configure the server");
        }
        if (!tls.isEnabled() && serverTls) {
            throw new RaftConfigurationException(
                    "raft.tls.bundle",
                    null,
                    "grpc.server.security.enabled=true makes the gRPC server speak TLS, but the peer channels have no TLS settings and could not connect",
                    "Set raft.tls.bundle to an SSL bundle (spring.ssl.bundle.pem.<name>.*) holding this node's certificate and the cluster's CA");
        }
        if (p.getMembership().isAutoJoin() && !tls.isEnabled() && !auth.isEnabled()) {
            throw new RaftConfigurationException(
                    "raft.membership.auto-join",
                    true,
                    "a leader adds every node that asks to join, and without mutual TLS or a shared secret nothing proves who asks",
                    "Set raft.auth.secret (the same on every replica) or raft.tls.bundle, or turn auto-join off and add members with the membership operations (docs/operations.md)");
        }
        if (auth.isEnabled()) {
            if (auth.getSecret().length() < MIN_SECRET_CHARS) {
                // The value shown is never the secret (docs/security.md).
                throw new RaftConfigurationException(
                        "raft.auth.secret",
                        "******",
                        "the shared secret is shorter than " + MIN_SECRET_CHARS + " characters",
                        "Set raft.auth.secret to at least 32 random characters (for example: openssl rand -base64 32), the same on every replica");
            }
            Duration window = auth.getReplayWindow();
            if (window == null || window.isNegative() || window.isZero()) {
                throw new RaftConfigurationException(
                        "raft.auth.replay-window",
                        window,
                        "the replay window must be positive",
                        "Set raft.auth.replay-window to a duration such as 30s (more than the replicas' clock skew)");
            }
            if (auth.getMaxNonces() < MIN_NONCES) {
                throw new RaftConfigurationException(
                        "raft.auth.max-nonces",
                        auth.getMaxNonces(),
                        "the replay cache must hold at least 1000 nonces",
                        "Set raft.auth.max-nonces to at least the requests one node receives in two replay windows (200000 by default)");
            }
        }
        return new PeerSecuritySettings(
                tls.isEnabled() ? tls.getBundle().trim() : null,
                identity,
                auth.isEnabled() ? auth.getSecret() : null,
                auth.getReplayWindow(),
                auth.getMaxNonces(),
                serverTls,
                clientAuth);
    }

    private static Map<String, PeerAddress> parsePeers(Map<String, String> peers) {
        Map<String, PeerAddress> members = new LinkedHashMap<>();
        Map<String, String> idsIgnoringCase = new HashMap<>();
        Map<PeerAddress, String> byAddress = new HashMap<>();
        for (Map.Entry<String, String> e : peers.entrySet()) {
            String id = e.getKey().trim();
            if (id.isEmpty()) {
                throw new RaftConfigurationException(
                        "raft.peers",
                        peers,
                        "a member has a blank id",
                        "Give every member of raft.peers a non-blank id");
            }
            if (id.length() > io.raftboot.core.node.Membership.MAX_ID_CHARS) {
                throw new RaftConfigurationException(
                        "raft.peers",
                        id.substring(0, 40) + "...",
                        "a member id has " + id.length() + " characters, more than "
                                + io.raftboot.core.node.Membership.MAX_ID_CHARS,
                        "Give every member of raft.peers an id of at most "
                                + io.raftboot.core.node.Membership.MAX_ID_CHARS + " characters");
            }
            String clash = idsIgnoringCase.put(id.toLowerCase(Locale.ROOT), id);
            if (clash != null) {
                throw new RaftConfigurationException(
                        "raft.peers",
                        peers.keySet(),
                        "ids '" + clash + "' and '" + id + "' differ only in case (duplicate ids)",
                        "Give every member a distinct id");
            }
            PeerAddress address;
            try {
                address = PeerAddress.parse(e.getValue());
            } catch (IllegalArgumentException ex) {
                throw new RaftConfigurationException(
                        "raft.peers." + id,
                        e.getValue(),
                        ex.getMessage(),
                        "Set raft.peers." + id + " to this member's gRPC address as host:port");
            }
            String other = byAddress.put(address, id);
            if (other != null) {
                throw new RaftConfigurationException(
                        "raft.peers",
                        peers,
                        "members '" + other + "' and '" + id + "' have the same address " + address
                                + " (duplicate addresses)",
                        "Give every member its own host:port in raft.peers");
            }
            members.put(id, address);
        }
        return members;
    }

    /** Positive, and at most a day: longer makes no sense here, and would overflow the millisecond and tick arithmetic. */
    private static Duration positive(String property, Duration d) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new RaftConfigurationException(
                    property,
                    d,
                    "the duration must be positive",
                    "Set " + property + " to a positive duration such as 300ms or 2s");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new RaftConfigurationException(
                    property,
                    d,
                    "the duration must be at most " + MAX_DURATION.toHours() + " hours",
                    "Set " + property + " to a duration such as 300ms or 2s");
        }
        return d;
    }

    private static void notNegative(String property, Duration d) {
        if (d == null || d.isNegative()) {
            throw new RaftConfigurationException(
                    property,
                    d,
                    "the duration must not be negative",
                    "Set " + property + " to a duration such as 0s, 500ms or 5s");
        }
        if (d.compareTo(MAX_DURATION) > 0) {
            throw new RaftConfigurationException(
                    property,
                    d,
                    "the duration must be at most " + MAX_DURATION.toHours() + " hours",
                    "Set " + property + " to a duration such as 0s, 500ms or 5s");
        }
    }

    private static Path writableDataDir(RaftProperties p, String nodeId) {
        Path dir = (p.getDataDir() != null ? p.getDataDir() : Path.of("raft-data", nodeId))
                .toAbsolutePath()
                .normalize();
        try {
            Files.createDirectories(dir);
        } catch (IOException | SecurityException e) {
            throw new RaftConfigurationException(
                    "raft.data-dir",
                    dir,
                    "the data directory cannot be created (" + e + ")",
                    "Set raft.data-dir to a directory this process can create and write, on a disk that survives restarts");
        }
        if (!Files.isDirectory(dir) || !Files.isWritable(dir)) {
            throw new RaftConfigurationException(
                    "raft.data-dir",
                    dir,
                    "the data directory is not a writable directory",
                    "Set raft.data-dir to a directory this process can write, or fix its permissions");
        }
        return dir;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }
}

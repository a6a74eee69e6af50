package io.raftboot.spring.env;

import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.RaftConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Maps the seed's environment variables onto {@code raft.*} properties:
 * <ul>
 *   <li>{@code BROKER_ID=1} -> {@code raft.node-id=1};</li>
 *   <li>{@code CLUSTER=1=host:port,2=host:port} -> {@code raft.peers.1=host:port}, ...;</li>
 *   <li>{@code NODE_ADDRESS=host:port} -> this node's own entry {@code raft.peers.<node-id>};</li>
 *   <li>{@code K8S=true} with {@code HOSTNAME=<name>-<ordinal>} -> {@code raft.node-id=<ordinal>} and
 *       {@code raft.peers.<i>=<name>-<i>.<service>.<namespace>.svc.cluster.local:<port>} for
 *       {@code i < raft.kubernetes.replicas}; a pod whose ordinal is not below that count (the
 *       StatefulSet was scaled up) adds itself as a learner that waits to be added at runtime.</li>
 * </ul>
 * Pure: reads the variables and the already configured properties through functions, returns
 * the properties to add (the caller adds them with the lowest precedence, so explicit
 * {@code raft.*} settings win). Peers are contributed only when no {@code raft.peers} are
 * configured, since map entries from several property sources would otherwise merge.
 */
public final class SeedEnvironment {

    private static final Pattern STATEFUL_SET_POD = Pattern.compile("^(.+)-(\\d+)$");
    private static final String K8S_DNS_SUFFIX = ".svc.cluster.local";

    private SeedEnvironment() {}

    /**
     * @param env environment variables ({@code null} when unset)
     * @param property configured properties ({@code null} when unset)
     * @param peersConfigured whether {@code raft.peers} already has entries
     */
    public static Map<String, Object> map(
            Function<String, String> env, Function<String, String> property, boolean peersConfigured) {
        Map<String, Object> out = new LinkedHashMap<>();
        if ("true".equalsIgnoreCase(trim(env.apply("K8S")))) {
            mapKubernetes(env, property, peersConfigured, out);
            return out;
        }
        String brokerId = trim(env.apply("BROKER_ID"));
        if (brokerId != null) {
            out.put("raft.node-id", brokerId);
        }
        String cluster = trim(env.apply("CLUSTER"));
        String nodeAddress = trim(env.apply("NODE_ADDRESS"));
        if (!peersConfigured) {
            Map<String, String> peers = cluster == null ? new LinkedHashMap<>() : parseCluster(cluster);
            String nodeId = property.apply("raft.node-id") != null
                    ? property.apply("raft.node-id").trim()
                    : brokerId;
            if (nodeAddress != null && nodeId != null) {
                parseAddress("NODE_ADDRESS", nodeAddress);
                peers.put(nodeId, nodeAddress);
            }
            peers.forEach((id, address) -> out.put("raft.peers." + id, address));
        }
        return out;
    }

    /** Parses the seed's {@code CLUSTER=1=host:port,2=host:port}. */
    static Map<String, String> parseCluster(String cluster) {
        Map<String, String> peers = new LinkedHashMap<>();
        for (String item : cluster.split(",")) {
            String entry = item.trim();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) {
                throw new RaftConfigurationException(
                        "CLUSTER",
                        cluster,
                        "entry '" + entry + "' is not <id>=<host>:<port>",
                        "Write CLUSTER as a comma-separated list such as 1=host1:9090,2=host2:9090,3=host3:9090");
            }
            String id = entry.substring(0, eq).trim();
            String address = entry.substring(eq + 1).trim();
            parseAddress("CLUSTER", address);
            if (peers.put(id, address) != null) {
                throw new RaftConfigurationException(
                        "CLUSTER",
                        cluster,
                        "node id '" + id + "' is listed twice (duplicate ids)",
                        "List every node once in CLUSTER");
            }
        }
        return peers;
    }

    private static void mapKubernetes(
            Function<String, String> env,
            Function<String, String> property,
            boolean peersConfigured,
            Map<String, Object> out) {
        String hostname = trim(env.apply("HOSTNAME"));
        Matcher m = hostname == null ? null : STATEFUL_SET_POD.matcher(hostname);
        if (m == null || !m.matches()) {
            throw new RaftConfigurationException(
                    "HOSTNAME",
                    hostname,
                    "K8S=true needs the pod name of a StatefulSet, <name>-<ordinal>",
                    "Run the application as a StatefulSet pod (HOSTNAME=broker-0), or unset K8S and set raft.node-id and raft.peers");
        }
        String ordinal = m.group(2);
        if (ordinal.length() > 9) {
            throw new RaftConfigurationException(
                    "HOSTNAME",
                    hostname,
                    "the StatefulSet ordinal " + ordinal + " is not a plausible pod ordinal",
                    "Run the application as a StatefulSet pod (HOSTNAME=<name>-<ordinal>), or unset K8S and set raft.node-id and raft.peers");
        }
        String name = orDefault(property.apply("raft.kubernetes.name"), m.group(1));
        String service = orDefault(property.apply("raft.kubernetes.service"), name);
        String namespace = orDefault(
                property.apply("raft.kubernetes.namespace"), orDefault(env.apply("POD_NAMESPACE"), "default"));
        int replicas = intProperty(property, "raft.kubernetes.replicas", 3);
        int port = intProperty(property, "raft.kubernetes.port", 9090);
        if (replicas < 1) {
            throw new RaftConfigurationException(
                    "raft.kubernetes.replicas",
                    replicas,
                    "a StatefulSet needs at least one replica",
                    "Set raft.kubernetes.replicas to the StatefulSet's replica count");
        }
        int self = Integer.parseInt(ordinal);
        out.put("raft.node-id", String.valueOf(self));
        if (!peersConfigured) {
            for (int i = 0; i < replicas; i++) {
                out.put(
                        "raft.peers." + i,
                        name + "-" + i + "." + service + "." + namespace + K8S_DNS_SUFFIX + ":" + port);
            }
            if (self >= replicas) {
                // A pod beyond the bootstrap members: the StatefulSet was scaled up. It starts as a
                // learner of the bootstrap list and waits for the leader to add it (docs/kubernetes.md).
                out.put(
                        "raft.peers." + self,
                        name + "-" + self + "." + service + "." + namespace + K8S_DNS_SUFFIX + ":" + port);
                String learners = trim(property.apply("raft.learners"));
                out.put(
                        "raft.learners",
                        learners == null || learners.isEmpty() ? String.valueOf(self) : learners + "," + self);
            }
        }
    }

    private static void parseAddress(String variable, String address) {
        try {
            PeerAddress.parse(address);
        } catch (IllegalArgumentException e) {
            throw new RaftConfigurationException(
                    variable, address, e.getMessage(), "Set " + variable + " addresses as host:port");
        }
    }

    private static int intProperty(Function<String, String> property, String name, int fallback) {
        String v = trim(property.apply(name));
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new RaftConfigurationException(name, v, "not a whole number", "Set " + name + " to a number");
        }
    }

    private static String orDefault(String value, String fallback) {
        String v = trim(value);
        return v == null ? fallback : v;
    }

    private static String trim(String value) {
        if (value == null) {
            return null;
        }
        String v = value.trim();
        return v.isEmpty() ? null : v;
    }
}

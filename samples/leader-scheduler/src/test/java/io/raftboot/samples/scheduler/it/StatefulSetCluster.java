package io.raftboot.samples.scheduler.it;

import io.raftboot.testsupport.process.BootJarLaunch;
import io.raftboot.testsupport.process.FreePorts;
import io.raftboot.testsupport.process.NodeProcess;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The sample as a StatefulSet would run it, on one machine: K8S=true, each pod's HOSTNAME
 * {@code ls-<ordinal>}, its peers computed from raft.kubernetes.* as DNS names
 * ({@code ls-<i>.ls.it.svc.cluster.local}), and every pod on the same gRPC port, each on its own
 * loopback address. The names resolve through a hosts file this test writes (the JDK's
 * {@code jdk.net.hosts.file}): the name resolver it controls, so a pod can come back at a new
 * address as a restarted pod does. Address caches are off ({@code networkaddress.cache.ttl=0}),
 * as docs/kubernetes.md advises. Node ids are the ordinals.
 */
final class StatefulSetCluster extends LocalCluster {

    static final String NAME = "ls";
    static final String NAMESPACE = "it";
    /** raft.auth.secret: auto-join needs the joiner's id proven. */
    private static final String SECRET = "statefulset-it-shared-secret-0123456789";

    private final int replicas;
    private final int grpcPort;
    private final Path hosts;
    private final Map<String, String> addressOf = new TreeMap<>();

    /** @param replicas raft.kubernetes.replicas: the bootstrap members, ordinals 0 to replicas - 1 */
    StatefulSetCluster(Path dir, BootJarLaunch launch, int replicas) {
        super(0, dir, launch);
        this.replicas = replicas;
        this.grpcPort = FreePorts.belowEphemeralRange(1).get(0);
        this.hosts = dir.resolve("hosts");
    }

    static String host(String ordinal) {
        return NAME + "-" + ordinal + "." + NAME + "." + NAMESPACE + ".svc.cluster.local";
    }

    /** Registers pod {@code ordinal} at 127.0.0.(10 + ordinal), without starting it. */
    synchronized NodeProcess pod(int ordinal) {
        NodeProcess node = add(String.valueOf(ordinal));
        addressOf.put(node.id(), "127.0.0." + (10 + ordinal));
        writeHosts();
        return node;
    }

    /** The pod's name now resolves to {@code ip}; it binds there from its next start. */
    synchronized void move(String id, String ip) {
        addressOf.put(id, ip);
        writeHosts();
    }

    @Override
    protected List<String> command(NodeProcess node) {
        List<String> args = new ArrayList<>(List.of(
                "--server.port=" + node.httpPort(),
                "--raft.data-dir=" + node.dataDir(),
                "--raft.server.address=" + addressOf(node.id()),
                "--raft.kubernetes.replicas=" + replicas,
                "--raft.kubernetes.port=" + grpcPort,
                "--raft.membership.auto-join=true",
                "--sample.lease-probe=true"));
        return launchCommand(args);
    }

    @Override
    protected Map<String, String> environment(NodeProcess node) {
        Map<String, String> env = new HashMap<>(super.environment(node));
        env.put("K8S", "true");
        env.put("HOSTNAME", NAME + "-" + node.id());
        env.put("POD_NAMESPACE", NAMESPACE);
        env.put("RAFT_AUTH_SECRET", SECRET);
        env.put(
                "JAVA_TOOL_OPTIONS",
                "-Djdk.net.hosts.file=" + hosts + " -Dnetworkaddress.cache.ttl=0 -Dsun.net.inetaddr.ttl=0");
        return env;
    }

    private synchronized String addressOf(String id) {
        return addressOf.get(id);
    }

    private void writeHosts() {
        StringBuilder text = new StringBuilder("127.0.0.1 localhost\n");
        try {
            // Spring Boot and the JDK look up this machine's own name too.
            text.append("127.0.0.1 ")
                    .append(InetAddress.getLocalHost().getHostName())
                    .append('\n');
        } catch (IOException e) {
            // no name of its own: nothing to map
        }
        addressOf.forEach(
                (id, ip) -> text.append(ip).append(' ').append(host(id)).append('\n'));
        try {
            Path next = hosts.resolveSibling("hosts.next");
            Files.writeString(next, text);
            Files.move(next, hosts, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

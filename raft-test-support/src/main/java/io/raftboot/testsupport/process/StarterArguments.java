package io.raftboot.testsupport.process;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.ToIntFunction;

/** The application arguments that make a Spring Boot app with the Raft starter one node of a process cluster. */
public final class StarterArguments {

    private StarterArguments() {}

    /**
     * {@code --server.port}, {@code --raft.node-id}, one {@code --raft.peers.<id>} per node on
     * loopback (itself included) and {@code --raft.data-dir}.
     */
    public static List<String> of(NodeProcess node, Collection<NodeProcess> cluster) {
        return of(node, cluster, NodeProcess::raftPort);
    }

    /**
     * As {@link #of(NodeProcess, Collection)}, but every node, itself included, is listed in
     * {@code raft.peers} at its advertised port (e.g. a proxy in front of it), while its gRPC server
     * listens on its own {@link NodeProcess#raftPort()} ({@code --raft.server.port} of the starter's
     * own gRPC server, which wins over the port of its own raft.peers entry).
     */
    public static List<String> of(
            NodeProcess node, Collection<NodeProcess> cluster, ToIntFunction<NodeProcess> advertisedRaftPort) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + node.httpPort());
        args.add("--raft.node-id=" + node.id());
        for (NodeProcess peer : cluster) {
            args.add("--raft.peers." + peer.id() + "=127.0.0.1:" + advertisedRaftPort.applyAsInt(peer));
        }
        if (advertisedRaftPort.applyAsInt(node) != node.raftPort()) {
            args.add("--raft.server.port=" + node.raftPort());
        }
        args.add("--raft.data-dir=" + node.dataDir());
        return args;
    }
}

package io.raftboot.testsupport.process;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** The application arguments that make a Spring Boot app with the Raft starter one node of a process cluster. */
public final class StarterArguments {

    private StarterArguments() {}

    /**
     * {@code --server.port}, {@code --raft.node-id}, one {@code --raft.peers.<id>} per node on
     * loopback (itself included) and {@code --raft.data-dir}.
     */
    public static List<String> of(NodeProcess node, Collection<NodeProcess> cluster) {
        List<String> args = new ArrayList<>();
        args.add("--server.port=" + node.httpPort());
        args.add("--raft.node-id=" + node.id());
        for (NodeProcess peer : cluster) {
            args.add("--raft.peers." + peer.id() + "=127.0.0.1:" + peer.raftPort());
        }
        args.add("--raft.data-dir=" + node.dataDir());
        return args;
    }
}

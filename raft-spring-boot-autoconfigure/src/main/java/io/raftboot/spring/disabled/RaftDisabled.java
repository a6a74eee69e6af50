package io.raftboot.spring.disabled;

/** The one explanation every refusal of a disabled node gives. */
final class RaftDisabled {

    static final String REASON = "Raft is disabled on this node (raft.enabled=false): it never leads and"
            + " holds no replicated config; remove raft.enabled=false, or use raft.single-node=true for a"
            + " one-node cluster in tests and local runs";

    private RaftDisabled() {}

    static IllegalStateException refusal() {
        return new IllegalStateException(REASON);
    }
}

package io.raftboot.core.message;

/**
 * A Raft RPC between two nodes of one cluster. Requests and responses are both one-way
 * messages here (as in etcd-io/raft): the transport delivers them, the core never blocks on
 * a reply. The gRPC adapter maps each record to and from {@code raft.proto}.
 */
public sealed interface Message
        permits VoteRequest,
                VoteResponse,
                AppendEntries,
                AppendResponse,
                TimeoutNow,
                InstallSnapshot,
                SnapshotResponse {

    /** Sender node id. */
    String from();

    /** Recipient node id. */
    String to();

    /** The sender's current term (for a pre-vote request: the term it would campaign in). */
    long term();
}

package io.raftboot.core.node;

/**
 * A proposal, read or transfer reached a node that is not the leader (or is handing leadership
 * over). {@link #leaderHint()} names the leader this node knows of, or {@code null}.
 */
public class NotLeaderException extends RuntimeException {

    private final String leaderHint;

    public NotLeaderException(String nodeId, String leaderHint, String reason) {
        super("node '" + nodeId + "' cannot accept this: " + reason
                + (leaderHint == null ? "; no leader is known yet" : "; the leader is '" + leaderHint + "'"));
        this.leaderHint = leaderHint;
    }

    public String leaderHint() {
        return leaderHint;
    }
}

package io.raftboot.core.node;

/**
 * Outcome of a ReadIndex request (thesis §6.4): once the state machine has applied up to
 * {@code index}, a read reflects every write committed before the request. {@code ok=false}
 * means this node lost leadership first; the read must be retried elsewhere.
 */
public record ReadState(long requestId, long index, boolean ok) {}

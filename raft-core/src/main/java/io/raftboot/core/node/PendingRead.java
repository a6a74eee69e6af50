package io.raftboot.core.node;

/** A ReadIndex request waiting for a quorum to echo heartbeat {@code seq} (thesis §6.4). */
record PendingRead(long requestId, long index, long seq) {}

package io.raftboot.core.loop;

import io.raftboot.core.message.Message;

/**
 * Sends messages to peers. Must not block the caller (the driver thread) and may drop messages:
 * Raft tolerates loss, so an unreachable peer is simply not answered. Replies arrive later
 * through {@link RaftLoop#receive(Message)}.
 */
public interface Transport {

    void send(Message message);
}

package io.raftboot.spring.grpc;

import io.grpc.Status;

/**
 * A place a response of the Raft core can go back to its requester through ({@link
 * PendingReplies}): a parked unary call, or one frame of a {@code Replicate} stream
 * ({@link InboundReplicationStream}).
 */
interface ReplySlot {

    /** The requester gave up (deadline, cancellation, a closed stream): skip this slot. */
    boolean isCancelled();

    /**
     * Sends the reply (the gRPC message the response maps to).
     *
     * @throws RuntimeException if the call ended meanwhile: the answer is lost, as on a network
     */
    void reply(Object reply);

    /** Ends the call or stream with {@code status}; never throws. */
    void fail(Status status);
}

package io.raftboot.core.client;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Hands a command to the leader, over whatever transport the application uses (the starter's is
 * gRPC). Domain types only: encoded command bytes in, a {@link ForwardOutcome} out. The future
 * completes normally in every case; an implementation maps its own failures to the outcome they
 * mean (a connection that broke after the request may have left is
 * {@link ForwardOutcome.OutcomeUnknown}, a request that surely was not sent is
 * {@link ForwardOutcome.NotLeader} or {@link ForwardOutcome.Overloaded}). A future that fails
 * anyway is taken as outcome unknown.
 */
public interface CommandForwarder {

    /** Asks {@code leaderId} to propose {@code command} and answer once it is applied there. */
    CompletableFuture<ForwardOutcome> forwardWrite(String leaderId, byte[] command, Duration timeout);

    /** Asks {@code leaderId} for a read index confirmed by a quorum ({@link ForwardOutcome.ReadIndex}). */
    CompletableFuture<ForwardOutcome> forwardReadIndex(String leaderId, Duration timeout);
}

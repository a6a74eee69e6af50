package io.raftboot.spring.grpc;

import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.ForwardReturn;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Hands a command to the leader ({@code Forward} RPC). The future fails with a
 * {@link io.grpc.StatusRuntimeException} when the call itself fails; a refusal by the leader
 * (not leader any more, timeout...) is an answer with {@code ok=false}.
 */
public interface CommandForwarder {

    CompletableFuture<ForwardReturn> forward(String leaderId, ForwardRequest request, Duration timeout);
}

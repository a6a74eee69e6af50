package io.raftboot.spring.grpc;

import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.ForwardReturn;
import java.util.concurrent.CompletableFuture;

/**
 * Serves a {@code Forward} RPC on this node: proposes a follower's command (or confirms a read
 * index) if this node leads, and answers once it is committed and applied. Never fails the
 * future: failures are answered with {@code ok=false} and an error code.
 */
public interface ForwardHandler {

    CompletableFuture<ForwardReturn> handle(ForwardRequest request);
}

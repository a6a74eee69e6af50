package io.raftboot.spring.grpc;

import io.grpc.ClientInterceptor;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.stub.MetadataUtils;
import io.raftboot.proto.RaftGrpc;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Picks the executor of each gRPC call on the server: RequestVote, TimeoutNow, Heartbeats that
 * carry no entries (marked by the sender with {@link #EMPTY_APPEND}) and the frames of a
 * {@code Replicate} stream (heartbeats and appends of at most
 * {@link ReplicationStream#MAX_FRAME_BYTES}; larger ones go as Heartbeat calls) run on the
 * transport (Netty) thread that decoded them, every other call on the server's executor as before. Those calls
 * are small and only put a message on the Raft loop's queue, so the hop to an executor thread
 * cost more than the call (on an idle node the executor threads used about a fifth of the
 * node's CPU). Appends with entries (up to {@code raft.max-message-size} to parse and verify),
 * InstallSnapshot, Forward and the application's own services keep the executor. The marker
 * only picks a thread: a call is checked the same way wherever it runs.
 *
 * <p>Global server interceptors then run on the transport thread for these calls: they must not
 * block (ours do not).
 */
public final class RaftCallExecutor implements ServerCallExecutorSupplier {

    /** Set by {@link GrpcTransport} on a Heartbeat call whose AppendEntries has no entries. */
    static final Metadata.Key<String> EMPTY_APPEND =
            Metadata.Key.of("raft-empty-append", Metadata.ASCII_STRING_MARSHALLER);
    /** Attaches {@link #EMPTY_APPEND} to a call. */
    static final ClientInterceptor MARK_EMPTY_APPEND = MetadataUtils.newAttachHeadersInterceptor(emptyAppendHeaders());

    private static final Executor DIRECT = Runnable::run;
    private static final Set<String> DIRECT_METHODS = Set.of(
            RaftGrpc.getRequestVoteMethod().getFullMethodName(),
            RaftGrpc.getTimeoutNowMethod().getFullMethodName(),
            RaftGrpc.getReplicateMethod().getFullMethodName());
    private static final String HEARTBEAT = RaftGrpc.getHeartbeatMethod().getFullMethodName();

    private static Metadata emptyAppendHeaders() {
        Metadata m = new Metadata();
        m.put(EMPTY_APPEND, "1");
        return m;
    }

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata metadata) {
        String method = call.getMethodDescriptor().getFullMethodName();
        boolean direct =
                DIRECT_METHODS.contains(method) || HEARTBEAT.equals(method) && metadata.containsKey(EMPTY_APPEND);
        return direct ? DIRECT : null;
    }
}

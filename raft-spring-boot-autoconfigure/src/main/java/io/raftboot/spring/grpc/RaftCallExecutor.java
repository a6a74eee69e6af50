package io.raftboot.spring.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.raftboot.proto.RaftGrpc;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * Picks the executor of each gRPC call on the server: Heartbeat, RequestVote and TimeoutNow run
 * on the transport (Netty) thread that decoded them, every other call on the server's executor
 * as before. Those three only check the request and put a message on the Raft loop's queue, so
 * the hop to an executor thread cost more than the call (on an idle node, the executor threads
 * used about a fifth of the CPU the node used). InstallSnapshot (decodes a whole snapshot) and Forward
 * and the application's own services keep the executor.
 *
 * <p>Global server interceptors then run on the transport thread for these calls: they must not
 * block (ours do not).
 */
public final class RaftCallExecutor implements ServerCallExecutorSupplier {

    private static final Executor DIRECT = Runnable::run;
    private static final Set<String> DIRECT_METHODS = Set.of(
            RaftGrpc.getHeartbeatMethod().getFullMethodName(),
            RaftGrpc.getRequestVoteMethod().getFullMethodName(),
            RaftGrpc.getTimeoutNowMethod().getFullMethodName());

    @Override
    public <ReqT, RespT> Executor getExecutor(ServerCall<ReqT, RespT> call, Metadata metadata) {
        return DIRECT_METHODS.contains(call.getMethodDescriptor().getFullMethodName()) ? DIRECT : null;
    }
}

package io.raftboot.spring.grpc.security;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;

/**
 * Answers a request whose bytes are not a valid {@code raft.proto} message with
 * {@code INVALID_ARGUMENT}, counted ({@link RefusalReason#INVALID_MESSAGE}) and logged once,
 * instead of gRPC's default (UNKNOWN or INTERNAL, and an ERROR with a stack trace in the log for
 * every such request, which would let garbage flood the log). Applied to a service whose
 * messages are raw bytes ({@link ServerInterceptors#useInputStreamMessages}), as the interceptor
 * nearest the service: the request is decoded inside its {@code onMessage}.
 */
public final class MalformedRequestInterceptor implements ServerInterceptor {

    private final String nodeId;
    private final RequestRefusals refusals;

    public MalformedRequestInterceptor(String nodeId, RequestRefusals refusals) {
        this.nodeId = nodeId;
        this.refusals = refusals;
    }

    @Override
    public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(
            ServerCall<ReqT, RespT> call, Metadata headers, ServerCallHandler<ReqT, RespT> next) {
        ServerCall.Listener<ReqT> delegate = next.startCall(call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<>(delegate) {
            private boolean refused;

            @Override
            public void onMessage(ReqT message) {
                try {
                    super.onMessage(message);
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.INTERNAL) {
                        throw e;
                    }
                    refused = true;
                    String what = call.getMethodDescriptor().getBareMethodName();
                    String description = "node '" + nodeId + "' refuses a Raft request: its bytes are not a valid "
                            + what + " message (" + e.getStatus().getDescription()
                            + "); is the caller a raft-spring-boot node of a compatible version?";
                    refusals.refuse(RefusalReason.INVALID_MESSAGE, "undecodable/" + what, description);
                    call.close(Status.INVALID_ARGUMENT.withDescription(description), new Metadata());
                }
            }

            @Override
            public void onHalfClose() {
                if (!refused) {
                    super.onHalfClose();
                }
            }
        };
    }
}

package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.raftboot.proto.RaftGrpc;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class RaftCallExecutorTest {

    private final RaftCallExecutor supplier = new RaftCallExecutor();

    private java.util.concurrent.Executor executorFor(MethodDescriptor<?, ?> method) {
        return executorFor(method, new Metadata());
    }

    @SuppressWarnings("unchecked")
    private java.util.concurrent.Executor executorFor(MethodDescriptor<?, ?> method, Metadata headers) {
        ServerCall<Object, Object> call = mock(ServerCall.class);
        when(call.getMethodDescriptor()).thenReturn((MethodDescriptor<Object, Object>) method);
        return supplier.getExecutor(call, headers);
    }

    private static Metadata markedEmpty() {
        Metadata m = new Metadata();
        m.put(RaftCallExecutor.EMPTY_APPEND, "1");
        return m;
    }

    @Test
    void theSmallCallsThatOnlyEnqueueRunWhereTheyWereDecoded() {
        java.util.Map<MethodDescriptor<?, ?>, Metadata> calls = java.util.Map.of(
                RaftGrpc.getHeartbeatMethod(), markedEmpty(),
                RaftGrpc.getRequestVoteMethod(), new Metadata(),
                RaftGrpc.getTimeoutNowMethod(), new Metadata());
        calls.forEach((m, headers) -> {
            AtomicBoolean ranHere = new AtomicBoolean();
            Thread caller = Thread.currentThread();
            executorFor(m, headers).execute(() -> ranHere.set(Thread.currentThread() == caller));
            assertThat(ranHere).as(m.getFullMethodName()).isTrue();
        });
    }

    @Test
    void appendsWithEntriesSnapshotsForwardsAndTheApplicationsServicesKeepTheServerExecutor() {
        assertThat(executorFor(RaftGrpc.getHeartbeatMethod())).isNull();
        assertThat(executorFor(RaftGrpc.getInstallSnapshotMethod())).isNull();
        assertThat(executorFor(RaftGrpc.getForwardMethod())).isNull();
        MethodDescriptor<Object, Object> other = MethodDescriptor.newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("app.Orders/Place")
                .setRequestMarshaller(mock(MethodDescriptor.Marshaller.class))
                .setResponseMarshaller(mock(MethodDescriptor.Marshaller.class))
                .build();
        assertThat(executorFor(other)).isNull();
    }
}

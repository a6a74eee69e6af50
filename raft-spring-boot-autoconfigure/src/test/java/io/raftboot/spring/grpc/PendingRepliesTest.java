package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

import io.grpc.stub.ServerCallStreamObserver;
import io.raftboot.core.message.AppendResponse;
import io.raftboot.core.message.SnapshotResponse;
import io.raftboot.core.message.VoteResponse;
import io.raftboot.proto.HBeatReturn;
import io.raftboot.proto.InstallSnapshotReturn;
import io.raftboot.proto.ReqVoteReturn;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mockito.Mockito;

/** The loop's responses complete the parked server calls of the right peer and kind, oldest first. */
class PendingRepliesTest {

    static final class Call extends ServerCallStreamObserver<Object> {
        final List<Object> replies = new ArrayList<>();
        boolean completed;
        Throwable error;
        boolean cancelled;
        Runnable onCancel;

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public void setOnCancelHandler(Runnable r) {
            onCancel = r;
        }

        @Override
        public void setCompression(String c) {}

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setOnReadyHandler(Runnable r) {}

        @Override
        public void request(int n) {}

        @Override
        public void setMessageCompression(boolean e) {}

        @Override
        public void disableAutoInboundFlowControl() {}

        @Override
        public void onNext(Object value) {
            replies.add(value);
        }

        @Override
        public void onError(Throwable t) {
            error = t;
        }

        @Override
        public void onCompleted() {
            completed = true;
        }

        void cancel() {
            cancelled = true;
            onCancel.run();
        }
    }

    private final PendingReplies pending = new PendingReplies(realMapper());

    private static MessageMapper realMapper() {
        io.raftboot.spring.cluster.ClusterSettings settings = mock(io.raftboot.spring.cluster.ClusterSettings.class);
        Mockito.when(settings.clusterId()).thenReturn("c");
        return new MessageMapper(settings, () -> 0);
    }

    @Test
    void responsesCompleteTheOldestCallOfTheirPeerAndKind() {
        Call fromBFirst = new Call();
        Call fromBSecond = new Call();
        Call voteFromB = new Call();
        Call fromC = new Call();
        pending.park("b", PendingReplies.Kind.APPEND, fromBFirst);
        pending.park("b", PendingReplies.Kind.APPEND, fromBSecond);
        pending.park("b", PendingReplies.Kind.VOTE, voteFromB);
        pending.park("c", PendingReplies.Kind.APPEND, fromC);

        assertThat(pending.answer(new AppendResponse("a", "b", 3, true, 5, 0, 0, 1)))
                .isTrue();
        assertThat(pending.answer(new VoteResponse("a", "b", 3, true, false))).isTrue();

        assertThat(fromBFirst.completed).isTrue();
        assertThat(((HBeatReturn) fromBFirst.replies.get(0)).getMatchIndex()).isEqualTo(5);
        assertThat(fromBSecond.replies).isEmpty();
        assertThat(((ReqVoteReturn) voteFromB.replies.get(0)).getVoteGranted()).isTrue();
        assertThat(fromC.replies).isEmpty();
        assertThat(pending.size()).isEqualTo(2);
    }

    @Test
    void cancelledCallsAreSkippedAndAResponseWithoutACallIsDropped() {
        Call gone = new Call();
        Call waiting = new Call();
        pending.park("b", PendingReplies.Kind.APPEND, gone);
        pending.park("b", PendingReplies.Kind.APPEND, waiting);
        gone.cancel();

        assertThat(pending.answer(new AppendResponse("a", "b", 3, true, 5, 0, 0, 1)))
                .isTrue();
        assertThat(waiting.completed).isTrue();
        assertThat(gone.replies).isEmpty();
        assertThat(pending.answer(new AppendResponse("a", "b", 3, true, 6, 0, 0, 2)))
                .isFalse();
    }

    @Test
    void aStaleTermRefusalOfASnapshotAnswersTheSnapshotCall() {
        Call snapshot = new Call();
        pending.park("b", PendingReplies.Kind.SNAPSHOT, snapshot);
        assertThat(pending.answer(new AppendResponse("a", "b", 9, false, 0, 0, 0, 0)))
                .isTrue();
        assertThat(((InstallSnapshotReturn) snapshot.replies.get(0)).getSuccess())
                .isFalse();
        Call next = new Call();
        pending.park("b", PendingReplies.Kind.SNAPSHOT, next);
        assertThat(pending.answer(new SnapshotResponse("a", "b", 9, 20))).isTrue();
        assertThat(((InstallSnapshotReturn) next.replies.get(0)).getMatchIndex())
                .isEqualTo(20);
    }

    @Test
    void stoppingFailsEveryParkedCall() {
        Call a = new Call();
        Call b = new Call();
        pending.park("b", PendingReplies.Kind.APPEND, a);
        pending.park("c", PendingReplies.Kind.VOTE, b);
        pending.failAll(io.grpc.Status.UNAVAILABLE);
        assertThat(a.error).isNotNull();
        assertThat(b.error).isNotNull();
        assertThat(pending.size()).isZero();
    }

    @org.junit.jupiter.api.Test
    void aStoppingNodeEndsItsOpenStreamsAndEndsNewOnesAtOnce() {
        List<io.grpc.Status> open = new ArrayList<>();
        List<io.grpc.Status> late = new ArrayList<>();
        pending.streamOpened(slot(open));

        pending.refuseStreamsStopping("n1");
        pending.streamOpened(slot(late));

        assertThat(open).extracting(io.grpc.Status::getCode).containsExactly(io.grpc.Status.Code.UNAVAILABLE);
        assertThat(late).extracting(io.grpc.Status::getCode).containsExactly(io.grpc.Status.Code.UNAVAILABLE);
    }

    /**
     * A server that stops after the node waits for its calls in flight: one parked after the loop
     * was gone would wait for an answer that never comes, up to the caller's deadline.
     */
    @org.junit.jupiter.api.Test
    void aCallParkedAfterTheNodeStoppedFailsAtOnce() {
        List<io.grpc.Status> before = new ArrayList<>();
        List<io.grpc.Status> after = new ArrayList<>();
        pending.parkFrame("n2", slot(before));

        pending.failAllStopping("n1");
        pending.parkFrame("n2", slot(after));

        assertThat(before).extracting(io.grpc.Status::getCode).containsExactly(io.grpc.Status.Code.UNAVAILABLE);
        assertThat(after).extracting(io.grpc.Status::getCode).containsExactly(io.grpc.Status.Code.UNAVAILABLE);
        assertThat(pending.size()).isZero();
    }

    private static ReplySlot slot(List<io.grpc.Status> failures) {
        return new ReplySlot() {
            @Override
            public boolean isCancelled() {
                return !failures.isEmpty();
            }

            @Override
            public void reply(Object reply) {}

            @Override
            public void fail(io.grpc.Status status) {
                failures.add(status);
            }
        };
    }
}

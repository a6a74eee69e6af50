package io.raftboot.spring.membership;

import io.raftboot.core.loop.RaftListener;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftLoopStoppedException;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.node.MembershipChange;
import io.raftboot.spring.cluster.PeerAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@link MembershipService} on the node's {@link RaftLoop}. */
public final class RaftMembershipService implements MembershipService {

    private final RaftLoop loop;
    private final Duration writeTimeout;
    private final Duration catchUpTimeout;
    private final Executor retryLater;

    /**
     * @param writeTimeout how long a change that must wait is retried
     * @param catchUpTimeout how long {@link #addVoter} waits for the new member's promotion
     * @param retryInterval the pause between two tries of a change that must wait
     */
    public RaftMembershipService(
            RaftLoop loop, Duration writeTimeout, Duration catchUpTimeout, Duration retryInterval) {
        this.loop = loop;
        this.writeTimeout = writeTimeout;
        this.catchUpTimeout = catchUpTimeout;
        this.retryLater = CompletableFuture.delayedExecutor(retryInterval.toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public Members members() {
        RaftStatus s = loop.status();
        return Members.of(s.membership(), s.membershipIndex(), s.commitIndex());
    }

    @Override
    public CompletableFuture<Long> addVoter(String id, String address) {
        CompletableFuture<Long> promoted = awaitVoter(id);
        return change(new MembershipChange.AddLearner(id, checkedAddress(address), true))
                .thenCompose(added -> promoted)
                .whenComplete((index, failure) -> promoted.cancel(false));
    }

    @Override
    public CompletableFuture<Long> addJoiningLearner(String id, String address) {
        return change(new MembershipChange.AddLearner(id, checkedAddress(address), true));
    }

    @Override
    public CompletableFuture<Long> addLearner(String id, String address) {
        return change(new MembershipChange.AddLearner(id, checkedAddress(address), false));
    }

    @Override
    public CompletableFuture<Long> promote(String id) {
        return change(new MembershipChange.Promote(id));
    }

    @Override
    public CompletableFuture<Long> demote(String id) {
        return change(new MembershipChange.Demote(id));
    }

    @Override
    public CompletableFuture<Long> remove(String id) {
        return change(new MembershipChange.Remove(id));
    }

    @Override
    public CompletableFuture<Long> changeAddress(String id, String address) {
        return change(new MembershipChange.ChangeAddress(id, checkedAddress(address)));
    }

    /** Fails at once, before anything reaches the log, on an address no peer could dial. */
    private static String checkedAddress(String address) {
        return PeerAddress.parse(Objects.requireNonNull(address, "address")).toString();
    }

    private CompletableFuture<Long> change(MembershipChange change) {
        CompletableFuture<Long> result = new CompletableFuture<>();
        attempt(change, System.nanoTime() + writeTimeout.toNanos(), result);
        return result;
    }

    /**
     * One try. A change refused because it must wait (IllegalStateException: the previous change
     * or a new leader's first entry is not committed yet) reached no log, so trying again is safe.
     */
    private void attempt(MembershipChange change, long deadline, CompletableFuture<Long> result) {
        loop.changeMembership(change).whenComplete((index, failure) -> {
            if (failure == null) {
                result.complete(index);
                return;
            }
            Throwable cause = Causes.unwrap(failure);
            // RaftLoopStoppedException is an IllegalStateException too, but a stopped loop stays stopped.
            boolean mustWait = cause instanceof IllegalStateException && !(cause instanceof RaftLoopStoppedException);
            if (mustWait && System.nanoTime() - deadline < 0) {
                retryLater.execute(() -> attempt(change, deadline, result));
            } else {
                result.completeExceptionally(cause);
            }
        });
    }

    /** Completes with the configuration's index once {@code id} is a voter of the configuration in force here. */
    private CompletableFuture<Long> awaitVoter(String id) {
        CompletableFuture<Long> promoted = new CompletableFuture<>();
        RaftListener listener = new RaftListener() {
            @Override
            public void onStateChange(RaftStatus previous, RaftStatus current) {
                if (current.membership().isVoter(id)) {
                    promoted.complete(current.membershipIndex());
                }
            }
        };
        loop.addListener(listener); // before the change is submitted: no promotion can be missed
        CompletableFuture<Long> bounded = promoted.orTimeout(catchUpTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((index, failure) -> {
                    if (failure instanceof TimeoutException) {
                        throw new CompletionException(new IllegalStateException("'" + id + "' did not catch up"
                                + " within " + catchUpTimeout.toMillis() + " ms (raft.membership.catch-up-timeout): it"
                                + " stays a learner that the leader promotes once its log is close to the leader's;"
                                + " check that it runs and reaches the leader, or remove it"));
                    }
                    if (failure != null) {
                        throw new CompletionException(Causes.unwrap(failure));
                    }
                    return index;
                });
        bounded.whenComplete((index, failure) -> loop.removeListener(listener));
        return bounded;
    }
}

package io.raftboot.spring.config;

import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.loop.RaftListener;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftStatus;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends an attempt that waits on a leader this node no longer follows. A forwarded write is one
 * call to the leader the node knew, with what is left of the write's deadline; when that leader
 * is cut off, the call waited the whole deadline and the write failed, although a new leader was
 * elected long before (issue 18: writes sent to a follower around a leader cut waited the whole
 * 3 s and failed with "may still be committed"). Here an attempt ends, as an unknown outcome, as
 * soon as this node sees another leader or term than the one it sent the attempt under; the
 * writer then retries it where the leader now is. Retrying is safe: the attempt carries its
 * client session and sequence number, which the store applies once (thesis §6.3).
 *
 * <p>Also keeps how long this node has known no leader, so that a write to a node cut off from
 * the majority fails fast instead of waiting the whole write timeout.
 */
final class LeaderFollowingAttempts implements RaftListener {

    private record Watch(String leaderId, long term, CompletableFuture<ForwardOutcome> outcome) {}

    private final RaftLoop loop;
    private final Set<Watch> watches = ConcurrentHashMap.newKeySet();
    /** Since when this node has known no leader, or {@link Long#MIN_VALUE} while it knows one. */
    private volatile long leaderlessSinceNanos;

    LeaderFollowingAttempts(RaftLoop loop) {
        this.loop = loop;
        this.leaderlessSinceNanos = loop.status().leaderId() == null ? System.nanoTime() : Long.MIN_VALUE;
        loop.addListener(this);
    }

    /** How long this node has known no leader; zero while it knows one. */
    long leaderlessNanos() {
        if (loop.status().leaderId() != null) {
            return 0;
        }
        long since = leaderlessSinceNanos;
        return since == Long.MIN_VALUE ? 0 : System.nanoTime() - since;
    }

    /**
     * The outcome of {@code attempt}, or an unknown outcome as soon as the leader or term differs
     * from {@code sentUnder}, the status the attempt was sent under.
     */
    CompletableFuture<ForwardOutcome> follow(RaftStatus sentUnder, CompletableFuture<ForwardOutcome> attempt) {
        CompletableFuture<ForwardOutcome> outcome = new CompletableFuture<>();
        Watch watch = new Watch(sentUnder.leaderId(), sentUnder.term(), outcome);
        watches.add(watch);
        outcome.whenComplete((o, e) -> watches.remove(watch));
        attempt.whenComplete((o, e) -> {
            if (e != null) {
                outcome.completeExceptionally(e);
            } else {
                outcome.complete(o);
            }
        });
        // The leader may have changed between the status read and the registration.
        check(watch, loop.status());
        return outcome;
    }

    @Override
    public void onStateChange(RaftStatus previous, RaftStatus current) {
        if (current.leaderId() != null) {
            leaderlessSinceNanos = Long.MIN_VALUE;
        } else if (leaderlessSinceNanos == Long.MIN_VALUE) {
            leaderlessSinceNanos = System.nanoTime();
        }
        for (Watch watch : watches) {
            check(watch, current);
        }
    }

    private static void check(Watch watch, RaftStatus now) {
        if (now.term() != watch.term() || !Objects.equals(now.leaderId(), watch.leaderId())) {
            watch.outcome()
                    .complete(new ForwardOutcome.OutcomeUnknown("the leader changed from '" + watch.leaderId()
                            + "' (term " + watch.term() + ") to "
                            + (now.leaderId() == null ? "none known" : "'" + now.leaderId() + "'")
                            + " (term " + now.term() + ") while the attempt waited; retrying where the leader is"));
        }
    }

    void close() {
        loop.removeListener(this);
    }
}

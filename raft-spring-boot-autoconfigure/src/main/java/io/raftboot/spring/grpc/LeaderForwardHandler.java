package io.raftboot.spring.grpc;

import io.raftboot.core.config.ConfigCommandCodec;
import io.raftboot.core.config.ConfigResult;
import io.raftboot.core.config.ConfigStore;
import io.raftboot.core.loop.LeadershipLostException;
import io.raftboot.core.loop.RaftLoop;
import io.raftboot.core.loop.RaftLoopStoppedException;
import io.raftboot.core.loop.RaftStatus;
import io.raftboot.core.node.NotLeaderException;
import io.raftboot.proto.ForwardKind;
import io.raftboot.proto.ForwardRequest;
import io.raftboot.proto.ForwardReturn;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.core.config.ConfigResultCodec;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The leader's side of {@code Forward}: a WRITE is checked against the config store's limits,
 * proposed, and answered once applied here (so committed) with the store's result; a READ_INDEX
 * is answered with a read index confirmed by a quorum (thesis §6.4). A node that is not the
 * leader answers NOT_LEADER with the leader it knows, and the follower retries there.
 */
public class LeaderForwardHandler implements ForwardHandler {

    private final RaftLoop loop;
    private final ConfigStore store;
    private final ClusterSettings settings;

    public LeaderForwardHandler(RaftLoop loop, ConfigStore store, ClusterSettings settings) {
        this.loop = loop;
        this.store = store;
        this.settings = settings;
    }

    @Override
    public CompletableFuture<ForwardReturn> handle(ForwardRequest request) {
        long timeoutMillis = request.getTimeoutMillis() > 0
                ? Math.min(settings.writeTimeout().toMillis(), request.getTimeoutMillis())
                : settings.writeTimeout().toMillis();
        if (request.getKind() == ForwardKind.READ_INDEX) {
            return loop.readIndex().orTimeout(timeoutMillis, TimeUnit.MILLISECONDS)
                    .handle((index, error) -> error == null
                            ? ok().setIndex(index).build()
                            : failure(error, Duration.ofMillis(timeoutMillis)));
        }
        byte[] command;
        try {
            // Re-encoded here: the leader's own key limit (raft.max-config-keys) is stamped into the
            // command, whatever limit (or none) the forwarding node wrote.
            command = store.encode(ConfigCommandCodec.decode(request.getCommand().toByteArray()));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(error(ForwardErrors.REJECTED, e.getMessage()).build());
        }
        long millis = timeoutMillis;
        return loop.propose(command).orTimeout(millis, TimeUnit.MILLISECONDS)
                .handle((result, error) -> error == null
                        ? ok().setResult(com.google.protobuf.ByteString.copyFrom(ConfigResultCodec.encode((ConfigResult) result))).build()
                        : failure(error, Duration.ofMillis(millis)));
    }

    private ForwardReturn failure(Throwable error, Duration timeout) {
        Throwable e = error;
        while ((e instanceof CompletionException || e instanceof ExecutionException) && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof NotLeaderException) {
            return error(ForwardErrors.NOT_LEADER, e.getMessage()).build();
        }
        if (e instanceof TimeoutException) {
            return error(ForwardErrors.TIMEOUT, "node '" + settings.nodeId() + "' did not complete the command within "
                    + timeout.toMillis() + " ms; it may still be committed").build();
        }
        if (e instanceof LeadershipLostException lost) {
            return error(lost.outcomeUnknown() ? ForwardErrors.LEADERSHIP_LOST : ForwardErrors.NOT_APPLIED, e.getMessage()).build();
        }
        if (e instanceof RejectedExecutionException) {
            return error(ForwardErrors.OVERLOADED, e.getMessage()).build();
        }
        if (e instanceof RaftLoopStoppedException) {
            return error(ForwardErrors.STOPPED, e.getMessage()).build();
        }
        return error(ForwardErrors.FAILED, String.valueOf(e)).build();
    }

    private ForwardReturn.Builder ok() {
        return ForwardReturn.newBuilder().setOk(true).setTerm(loop.status().term());
    }

    private ForwardReturn.Builder error(String code, String message) {
        RaftStatus s = loop.status();
        ForwardReturn.Builder b = ForwardReturn.newBuilder().setOk(false).setTerm(s.term())
                .setErrorCode(code).setErrorMessage(message == null ? code : message);
        if (s.leaderId() != null && !s.leaderId().equals(settings.nodeId())) {
            b.setLeaderId(s.leaderId());
            PeerAddress address = settings.addressOf(s.leaderId());
            if (address != null) {
                b.setLeaderUrl(address.toString());
            }
        }
        return b;
    }
}

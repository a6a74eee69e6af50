package io.raftboot.spring.grpc;

import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import io.raftboot.proto.JoinRequest;
import io.raftboot.proto.JoinReturn;
import io.raftboot.spring.cluster.ClusterSettings;
import io.raftboot.spring.cluster.PeerAddress;
import io.raftboot.spring.cluster.PeerDirectory;
import io.raftboot.spring.grpc.security.PeerSecurity;
import io.raftboot.spring.membership.JoinOutcome;
import io.raftboot.spring.membership.JoinRequester;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Sends Join requests over gRPC, signed or over mutual TLS like every peer request
 * ({@link PeerSecurity}). Its channels are its own, not the transport's: a joiner talks to a few
 * members for a few seconds, and closes them once it has joined.
 */
public final class GrpcJoinRequester implements JoinRequester {

    private final ClusterSettings settings;
    private final PeerDirectory directory;
    private final PeerSecurity security;
    private final Map<String, PeerChannel> channels = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public GrpcJoinRequester(ClusterSettings settings, PeerDirectory directory, PeerSecurity security) {
        this.settings = settings;
        this.directory = directory;
        this.security = security;
    }

    @Override
    public CompletableFuture<JoinOutcome> requestJoin(String memberId) {
        PeerAddress address = directory.addressOf(memberId);
        if (closed || address == null) {
            return CompletableFuture.completedFuture(new JoinOutcome.Retry("no address known for '" + memberId + "'"));
        }
        PeerChannel channel = channels.compute(memberId, (id, existing) -> {
            if (existing != null && existing.address().equals(address)) {
                return existing;
            }
            if (existing != null) {
                existing.shutdown();
            }
            return new PeerChannel(id, address, settings, security);
        });
        JoinRequest request = JoinRequest.newBuilder()
                .setClusterId(settings.clusterId())
                .setFrom(settings.nodeId())
                .setAddress(settings.self().toString())
                .setSettings(settings.fingerprint())
                .build();
        CompletableFuture<JoinOutcome> result = new CompletableFuture<>();
        // Adding a learner is one log entry: a write's deadline bounds it, as for a forwarded write.
        long millis = Math.max(1, settings.writeTimeout().toMillis());
        channel.stub.withDeadlineAfter(millis, TimeUnit.MILLISECONDS).join(request, new StreamObserver<>() {
            @Override
            public void onNext(JoinReturn value) {
                try {
                    result.complete(JoinMessages.fromProto(value));
                } catch (IllegalArgumentException e) {
                    result.complete(
                            new JoinOutcome.Retry("malformed answer from '" + memberId + "': " + e.getMessage()));
                }
            }

            @Override
            public void onError(Throwable t) {
                Status status = Status.fromThrowable(t);
                boolean refused = status.getCode() == Status.Code.PERMISSION_DENIED
                        || status.getCode() == Status.Code.UNAUTHENTICATED
                        || status.getCode() == Status.Code.INVALID_ARGUMENT
                        || status.getCode() == Status.Code.UNIMPLEMENTED;
                String why =
                        "'" + memberId + "' at " + address + ": " + status.getCode() + " " + status.getDescription();
                result.complete(refused ? new JoinOutcome.Refused(why) : new JoinOutcome.Retry(why));
            }

            @Override
            public void onCompleted() {}
        });
        return result;
    }

    @Override
    public void close() {
        closed = true;
        channels.values().forEach(PeerChannel::shutdown);
        channels.clear();
    }
}

package io.raftboot.spring.grpc;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.raftboot.core.client.ForwardOutcome;
import io.raftboot.core.store.ConfigResultCodec;
import io.raftboot.proto.ForwardReturn;

/**
 * {@link ForwardOutcome} to and from the {@code Forward} RPC's answer, and a failed call read as
 * the outcome it means. The only place where gRPC status codes meet the write path's meaning.
 */
final class ForwardOutcomes {

    private ForwardOutcomes() {}

    static ForwardReturn.Builder toProto(ForwardOutcome outcome) {
        ForwardReturn.Builder b = ForwardReturn.newBuilder();
        if (outcome instanceof ForwardOutcome.Applied applied) {
            return b.setOk(true).setResult(ByteString.copyFrom(ConfigResultCodec.encode(applied.result())));
        }
        if (outcome instanceof ForwardOutcome.ReadIndex read) {
            return b.setOk(true).setIndex(read.index());
        }
        b.setOk(false);
        if (outcome instanceof ForwardOutcome.NotLeader n) {
            if (n.leaderHint() != null) {
                b.setLeaderId(n.leaderHint());
            }
            return error(b, ForwardErrors.NOT_LEADER, n.reason());
        }
        if (outcome instanceof ForwardOutcome.OutcomeUnknown u) {
            return error(b, ForwardErrors.OUTCOME_UNKNOWN, u.reason());
        }
        if (outcome instanceof ForwardOutcome.Rejected r) {
            return error(b, ForwardErrors.REJECTED, r.reason());
        }
        if (outcome instanceof ForwardOutcome.Overloaded o) {
            return error(b, ForwardErrors.OVERLOADED, o.reason());
        }
        return error(b, ForwardErrors.STOPPED, ((ForwardOutcome.Stopped) outcome).reason());
    }

    private static ForwardReturn.Builder error(ForwardReturn.Builder b, String code, String message) {
        return b.setErrorCode(code).setErrorMessage(message == null ? code : message);
    }

    /**
     * An answer of the leader, {@code write} telling a write's answer from a read's. Codes this
     * node does not know (a newer release's, or an earlier release's TIMEOUT, LEADERSHIP_LOST,
     * STOPPED and FAILED, which all could follow a proposal) are outcome-unknown: a guess of "not
     * applied" is how a write gets applied twice.
     */
    static ForwardOutcome fromProto(ForwardReturn reply, boolean write) {
        if (reply.getOk()) {
            return write
                    ? new ForwardOutcome.Applied(
                            ConfigResultCodec.decode(reply.getResult().toByteArray()))
                    : new ForwardOutcome.ReadIndex(reply.getIndex());
        }
        String message = reply.getErrorCode() + ": " + reply.getErrorMessage();
        return switch (reply.getErrorCode()) {
            case ForwardErrors.NOT_LEADER, ForwardErrors.LEGACY_NOT_APPLIED ->
                new ForwardOutcome.NotLeader(reply.getLeaderId().isEmpty() ? null : reply.getLeaderId(), message);
            case ForwardErrors.REJECTED -> new ForwardOutcome.Rejected(reply.getErrorMessage());
            case ForwardErrors.OVERLOADED -> new ForwardOutcome.Overloaded(message);
            default -> write ? new ForwardOutcome.OutcomeUnknown(message) : new ForwardOutcome.Stopped(message);
        };
    }

    /**
     * A call that failed. Whether the request reached the leader is unknown for any status once
     * it may have left (UNAVAILABLE included: the connection can break after the request was
     * sent), so a write's outcome is unknown and a read is simply not confirmed; only a refusal
     * before the handler ran is surely without effect.
     */
    static ForwardOutcome ofCallFailure(Throwable error, String leaderId, boolean write) {
        Status status = Status.fromThrowable(error);
        String reason = "forwarding to '" + leaderId + "' failed: " + status;
        return switch (status.getCode()) {
            // Refused before the handler ran (ClusterGuard, InboundChecks, the peer's security, an
            // older peer without the method): nothing was proposed, and a retry would be refused alike.
            case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, UNIMPLEMENTED ->
                new ForwardOutcome.Rejected(reason);
            default -> write ? new ForwardOutcome.OutcomeUnknown(reason) : new ForwardOutcome.Stopped(reason);
        };
    }
}

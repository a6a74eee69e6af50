package io.raftboot.spring.grpc;

import com.google.protobuf.ByteString;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.MembershipCodec;
import io.raftboot.proto.JoinReturn;
import io.raftboot.spring.membership.JoinOutcome;

/** {@link JoinOutcome} as a {@link JoinReturn} and back. */
final class JoinMessages {

    static final String JOINED = "JOINED";
    static final String NOT_LEADER = "NOT_LEADER";
    static final String RETRY = "RETRY";
    static final String REFUSED = "REFUSED";

    private JoinMessages() {}

    static JoinReturn toProto(JoinOutcome outcome) {
        JoinReturn.Builder b = JoinReturn.newBuilder();
        if (outcome instanceof JoinOutcome.Joined j) {
            b.setCode(JOINED).setIndex(j.index()).setMembership(encode(j.membership()));
        } else if (outcome instanceof JoinOutcome.NotLeader n) {
            b.setCode(NOT_LEADER).setMembership(encode(n.membership()));
            if (n.leaderId() != null) {
                b.setLeaderId(n.leaderId());
            }
        } else if (outcome instanceof JoinOutcome.Retry r) {
            b.setCode(RETRY).setErrorMessage(r.reason());
        } else if (outcome instanceof JoinOutcome.Refused r) {
            b.setCode(REFUSED).setErrorMessage(r.reason());
        }
        return b.build();
    }

    /** @throws IllegalArgumentException if the answer is malformed (unknown code, unreadable membership) */
    static JoinOutcome fromProto(JoinReturn p) {
        return switch (p.getCode()) {
            case JOINED -> new JoinOutcome.Joined(p.getIndex(), decode(p.getMembership()));
            case NOT_LEADER ->
                new JoinOutcome.NotLeader(
                        p.getLeaderId().isEmpty() ? null : p.getLeaderId(), decode(p.getMembership()));
            case RETRY -> new JoinOutcome.Retry(p.getErrorMessage());
            case REFUSED -> new JoinOutcome.Refused(p.getErrorMessage());
            default -> throw new IllegalArgumentException("unknown join answer '" + p.getCode() + "'");
        };
    }

    private static ByteString encode(Membership m) {
        return ByteString.copyFrom(MembershipCodec.encode(m));
    }

    private static Membership decode(ByteString bytes) {
        return MembershipCodec.decode(bytes.toByteArray());
    }
}

package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.raftboot.core.node.Membership;
import io.raftboot.core.node.MembershipCodec;
import io.raftboot.proto.InstallSnapshotRequest;
import io.raftboot.proto.Node;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Findings of {@link MessageDecodingFuzzTest}, kept as plain cases: each was a request the checks
 * let through and the mapping then failed on.
 */
class InboundChecksTest {

    private static InstallSnapshotRequest.Builder snapshot() {
        return InstallSnapshotRequest.newBuilder()
                .setTerm(3)
                .setFrom("a")
                .setTo("b")
                .setLastIncludedIndex(10)
                .setLastIncludedTerm(2);
    }

    @Test
    void aSnapshotWhoseListsAreNoMembershipIsRefused() {
        // The fuzzer's finding (CI, stop 20): voter '' and learner '' passed the checks, and
        // MessageMapper threw "node '' is listed as both voter and learner" in the handler.
        InstallSnapshotRequest request = snapshot()
                .addVoters(Node.newBuilder().setId(""))
                .addLearners(Node.newBuilder().setId(""))
                .build();

        assertThat(InboundChecks.check(request)).contains("both voter and learner");
    }

    @Test
    void aSnapshotWithUnreadableMembershipBytesIsRefused() {
        InstallSnapshotRequest request = snapshot()
                .addVoters(Node.newBuilder().setId("a"))
                .setMembership(ByteString.copyFrom(new byte[] {1, 0, 0}))
                .build();

        assertThat(InboundChecks.check(request)).contains("membership is invalid");
    }

    @Test
    void aValidSnapshotPassesAndMaps() {
        Membership members = new Membership(Set.of("a", "b"), Set.of("c"));
        InstallSnapshotRequest request = snapshot()
                .addVoters(Node.newBuilder().setId("a"))
                .setMembership(ByteString.copyFrom(MembershipCodec.encode(members)))
                .build();

        assertThat(InboundChecks.check(request)).isNull();
        assertThat(MessageMapper.membership(request)).isEqualTo(members);
    }
}

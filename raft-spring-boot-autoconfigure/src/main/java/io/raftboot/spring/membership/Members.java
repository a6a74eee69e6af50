package io.raftboot.spring.membership;

import io.raftboot.core.node.Membership;
import java.util.ArrayList;
import java.util.List;

/**
 * The configuration in force on one node.
 *
 * @param index the log index of its entry; 0 for the bootstrap membership of {@code raft.peers}
 * @param committed false while a change is under way (its entry is not committed yet)
 * @param members every member, in id order
 */
public record Members(long index, boolean committed, List<Member> members) {

    public Members {
        members = List.copyOf(members);
    }

    /** One member: its role is VOTER, LEARNER, or JOINING (a learner the leader promotes once caught up). */
    public record Member(String id, String address, Role role) {}

    public enum Role {
        VOTER,
        LEARNER,
        JOINING
    }

    static Members of(Membership m, long index, long commitIndex) {
        List<Member> members = new ArrayList<>();
        for (String id : m.all()) {
            Role role = m.isVoter(id) ? Role.VOTER : m.joining().contains(id) ? Role.JOINING : Role.LEARNER;
            members.add(new Member(id, m.address(id), role));
        }
        return new Members(index, index <= commitIndex, members);
    }
}

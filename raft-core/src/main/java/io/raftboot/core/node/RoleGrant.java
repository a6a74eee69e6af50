package io.raftboot.core.node;

import java.util.Objects;

/**
 * Who holds a named role, as the configuration in the log says (issue 16): the holder, and the
 * role's fencing token, the log index of the configuration entry that granted it. A role is
 * granted only after the entry that took it from its previous holder committed and every proof
 * that holder could have had ran out ({@link RoleAssigner}), so tokens of one role strictly
 * increase from holder to holder and no two holders' leases overlap.
 *
 * @param holder the member that holds the role
 * @param token the log index of the entry that granted it to {@code holder}
 */
public record RoleGrant(String holder, long token) {

    public RoleGrant {
        Membership.checkedId(Objects.requireNonNull(holder, "holder"));
        if (token < 1) {
            throw new IllegalArgumentException("a role's token is a log index, got " + token);
        }
    }

    @Override
    public String toString() {
        return holder + "@" + token;
    }
}

package io.raftboot.spring.roles;

import java.util.Set;

/**
 * Names named roles this node offers, besides {@code raft.roles.*} and the annotations: a bean of
 * this type is asked once, when the node starts offering its roles (every singleton exists then).
 * The Spring Integration support uses it for the roles of the application's {@code Candidate} beans.
 */
@FunctionalInterface
public interface RoleSource {

    Set<String> roleNames();
}

package io.raftboot.spring.autoconfigure;

import io.raftboot.core.node.RoleCandidacy;
import io.raftboot.spring.cluster.RaftConfigurationException;
import io.raftboot.spring.roles.RoleDefinitions;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Checks {@code raft.roles.<name>.*} once, at startup, like {@link ClusterSettingsValidator}: a
 * role name the core would refuse, or a weight below 1, fails the start with a message that names
 * the property, rather than the first offer of the roles after the application became ready.
 */
final class RoleSettingsValidator {

    private RoleSettingsValidator() {}

    static RoleDefinitions validate(RaftProperties properties, String nodeId) {
        Map<String, Integer> weights = new TreeMap<>();
        Set<String> excluded = new TreeSet<>();
        properties.getRoles().forEach((name, role) -> {
            checkName("raft.roles." + name, name);
            if (role.getWeight() < 1) {
                throw new RaftConfigurationException(
                        "raft.roles." + name + ".weight",
                        role.getWeight(),
                        "a role's weight must be at least 1",
                        "Set raft.roles." + name + ".weight to 1 or more (1 is the default), or remove it.");
            }
            weights.put(name, role.getWeight());
            if (role.getExcludedNodes().contains(nodeId)) {
                excluded.add(name);
            }
        });
        return new RoleDefinitions(
                weights, excluded, properties.getAvailability().isRequireReadiness());
    }

    /** The core's rule ({@link RoleCandidacy#checkedRole}), as a startup failure that names where the name came from. */
    static void checkName(String where, String name) {
        try {
            RoleCandidacy.checkedRole(name);
        } catch (IllegalArgumentException e) {
            throw new RaftConfigurationException(
                    where,
                    "'" + name + "'",
                    "a role name must have 1 to " + RoleCandidacy.MAX_ROLE_CHARS + " characters",
                    "Give the role a name of 1 to " + RoleCandidacy.MAX_ROLE_CHARS + " characters.");
        }
    }
}

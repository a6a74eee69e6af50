package io.raftboot.samples.scheduler.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.raftboot.testsupport.process.RoleReport;

/**
 * The fields of {@code GET /actuator/raft} the tests use, with the node's process incarnation
 * (how many times the test started it) and when the answer arrived.
 */
record NodeStatus(
        String nodeId,
        int incarnation,
        String role,
        long term,
        String leaderId,
        long configVersion,
        long commitIndex,
        long receivedNanos)
        implements RoleReport {

    static NodeStatus parse(JsonNode json, int incarnation, long receivedNanos) {
        JsonNode leader = json.get("leaderId");
        return new NodeStatus(
                json.get("nodeId").asText(),
                incarnation,
                json.get("role").asText(),
                json.get("term").asLong(),
                leader == null || leader.isNull() ? null : leader.asText(),
                json.get("configVersion").asLong(),
                json.get("commitIndex").asLong(),
                receivedNanos);
    }

    @Override
    public String toString() {
        return nodeId + "#" + incarnation + "[" + role + " term " + term + " leader " + leaderId + " configVersion "
                + configVersion + "]";
    }
}

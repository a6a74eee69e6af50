package io.raftboot.benchmarks.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One read of a node's named roles from {@code /actuator/raft} (issue 16): the roles it holds
 * with a valid lease ({@code heldHere} and {@code leaseValidForMillis > 0}, what
 * {@code isLeader(role)} answers there) and who it believes holds each role. {@code sentNanos}
 * and {@code receivedNanos} bracket the instant the node was in this state; a failed read (node
 * down, starting or stopping) has {@code ok == false} and holds nothing.
 *
 * @param held the roles held here with a valid lease, sorted
 * @param holders each role this node knows of and its holder as this node knows it (null: unheld)
 */
public record RolePoll(
        String nodeId,
        boolean ok,
        long sentNanos,
        long receivedNanos,
        TreeSet<String> held,
        Map<String, String> holders,
        String raftRole) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The middle of the request: the best single estimate of when the node was in this state. */
    public long atNanos() {
        return sentNanos + (receivedNanos - sentNanos) / 2;
    }

    public boolean holds(String role) {
        return held.contains(role);
    }

    public static RolePoll of(Cluster cluster, String id, Duration timeout) {
        long sent = System.nanoTime();
        try {
            HttpResponse<String> r = cluster.http()
                    .send(
                            HttpRequest.newBuilder(cluster.uri(id, "/actuator/raft"))
                                    .timeout(timeout)
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            long received = System.nanoTime();
            if (r.statusCode() != 200) {
                return failed(id, sent, received);
            }
            JsonNode j = JSON.readTree(r.body());
            TreeSet<String> held = new TreeSet<>();
            Map<String, String> holders = new TreeMap<>();
            JsonNode roles = j.get("roles");
            if (roles != null) {
                for (JsonNode role : roles) {
                    String name = role.get("name").asText();
                    JsonNode holder = role.get("holder");
                    holders.put(name, holder == null || holder.isNull() ? null : holder.asText());
                    if (role.get("heldHere").asBoolean()
                            && role.get("leaseValidForMillis").asLong() > 0) {
                        held.add(name);
                    }
                }
            }
            return new RolePoll(
                    id, true, sent, received, held, holders, j.get("role").asText());
        } catch (IOException e) {
            return failed(id, sent, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(id, sent, System.nanoTime());
        }
    }

    private static RolePoll failed(String id, long sent, long received) {
        return new RolePoll(id, false, sent, received, new TreeSet<>(), Map.of(), null);
    }
}

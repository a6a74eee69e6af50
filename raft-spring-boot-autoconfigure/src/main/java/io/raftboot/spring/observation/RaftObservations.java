package io.raftboot.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The names of the observations the starter makes, and how an asynchronous operation is
 * observed: started when it is submitted, stopped when its future completes (with the error, if
 * it failed), so a trace shows the whole wait for the commit or the handover.
 */
public final class RaftObservations {

    /** From this node becoming a candidate to it leading (outcome won) or following (outcome lost). */
    public static final String ELECTION = "raft.election";
    /** A leadership transfer or step-down asked of this node, until the handover or its failure. */
    public static final String TRANSFER = "raft.leadership.transfer";
    /** A config write (put, delete, compare-and-set), from submission until it commits or fails. */
    public static final String CONFIG_WRITE = "raft.config.write";

    private RaftObservations() {}

    static <T> CompletableFuture<T> observe(Observation observation, Supplier<CompletableFuture<T>> operation) {
        observation.start();
        CompletableFuture<T> result;
        try (Observation.Scope scope = observation.openScope()) {
            result = operation.get();
        } catch (RuntimeException e) {
            observation.error(e);
            observation.stop();
            throw e;
        }
        return result.whenComplete((value, error) -> {
            if (error != null) {
                observation.error(error);
            }
            observation.stop();
        });
    }

    static Observation of(String name, ObservationRegistry registry) {
        return Observation.createNotStarted(name, registry);
    }
}

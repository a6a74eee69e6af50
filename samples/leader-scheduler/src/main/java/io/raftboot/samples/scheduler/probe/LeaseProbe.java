package io.raftboot.samples.scheduler.probe;

import io.raftboot.core.loop.LeaderLease;
import io.raftboot.spring.autoconfigure.RaftProperties;
import io.raftboot.spring.leadership.LeadershipService;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Samples {@link LeadershipService#lease()} (what {@code isLeader()} answers, with its term) about every millisecond on a daemon thread and
 * writes each change to {@code <raft.data-dir>/lease-probe.log} ({@link LeaseProbeLog}): the
 * lease as the application sees it, for tests that check from outside the process that no two
 * nodes ever hold it at the same instant (issue 11; docs/getting-started.md, "The lease probe").
 *
 * <p>Rules of the file, which its readers rely on:
 * <ul>
 *   <li>The first observation is written, then every change of {@code isLeader()}, and a change
 *       of term while leading.</li>
 *   <li>A {@code true} line is stamped with {@code System.nanoTime()} read <em>before</em> the
 *       call, a {@code false} line with the time read <em>after</em> it: the recorded true
 *       interval covers the real one, never the other way round.</li>
 *   <li>After a gap in sampling longer than {@link ProbeThread#GAP_NANOS} (the process was stopped with
 *       SIGSTOP, or starved), the first observation is written even when it is an unchanged
 *       {@code true}: so a reader can tell a lease seen again after the pause from a stale line
 *       written before it.</li>
 *   <li>It runs until the process exits, past the application context's close, so that a
 *       graceful stop records its {@code false}; once the context is gone and {@code isLeader()}
 *       throws, it counts as {@code false}.</li>
 * </ul>
 */
public final class LeaseProbe {

    private static final Logger LOG = LoggerFactory.getLogger(LeaseProbe.class);

    private final LeadershipService leadership;
    private final LeaseProbeLog log;
    private final String nodeId;
    private final Path file;

    // Probe thread only.
    private boolean observed;
    private boolean lastLeader;
    private long lastTerm;
    private long lastSampleNanos;

    LeaseProbe(LeadershipService leadership, LeaseProbeLog log, String nodeId, Path file) {
        this.leadership = leadership;
        this.log = log;
        this.nodeId = nodeId;
        this.file = file;
    }

    /** Opens {@code <raft.data-dir>/lease-probe.log} for appending. */
    public static LeaseProbe create(LeadershipService leadership, RaftProperties properties) {
        Path file = properties.resolvedDataDir().resolve(LeaseProbeLog.FILE_NAME);
        try {
            return new LeaseProbe(leadership, new LeaseProbeLog(file), leadership.nodeId(), file);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot open the lease probe's file " + file.toAbsolutePath()
                            + ": check that raft.data-dir is writable, or set sample.lease-probe=false",
                    e);
        }
    }

    /** Starts the sampler thread (a daemon: it never keeps the JVM alive). */
    public Thread start() {
        Thread thread = ProbeThread.start("lease-probe", this::sample, file);
        LOG.info("Lease probe of node {} writes to {}", nodeId, file.toAbsolutePath());
        return thread;
    }

    void sample() throws IOException {
        long before = System.nanoTime();
        boolean leader;
        long term;
        try {
            // The lease and its term in one read (LeadershipService.lease()): a true line always names
            // the term of the lease it saw. A false line names the node's current term.
            Optional<LeaderLease> lease = leadership.lease();
            leader = lease.isPresent();
            term = lease.map(LeaderLease::term).orElseGet(leadership::term);
        } catch (RuntimeException e) {
            // After the context closed the beans may refuse; whatever this node was, it leads no more.
            leader = false;
            term = lastTerm;
        }
        long after = System.nanoTime();
        observe(before, after, term, leader);
    }

    /** Writes the sample taken between {@code before} and {@code after} if the file's rules say so. */
    void observe(long before, long after, long term, boolean leader) throws IOException {
        boolean gap = observed && after - lastSampleNanos > ProbeThread.GAP_NANOS;
        boolean changed = !observed || leader != lastLeader || (leader && term != lastTerm);
        if (changed || (gap && leader)) {
            log.append(leader ? before : after, nodeId, term, leader);
        }
        observed = true;
        lastLeader = leader;
        lastTerm = term;
        lastSampleNanos = after;
    }
}

package io.raftboot.samples.scheduler.probe;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The probes' sampler thread: one sample about every millisecond, until the file cannot be written. */
final class ProbeThread {

    private static final Logger LOG = LoggerFactory.getLogger(ProbeThread.class);

    static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(1);
    /** A holder's unchanged {@code true} is written again after a gap this long (the loop stalled). */
    static final long GAP_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    /** One sample, written to the probe's file if its rules say so. */
    @FunctionalInterface
    interface Sampler {
        void sample() throws IOException;
    }

    private ProbeThread() {}

    /** Starts {@code sampler} on a daemon thread (it never keeps the JVM alive). */
    static Thread start(String name, Sampler sampler, Path file) {
        Thread thread = new Thread(() -> run(sampler, file), name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    private static void run(Sampler sampler, Path file) {
        while (true) {
            try {
                sampler.sample();
            } catch (IOException e) {
                // The file is the probe's only output: without it there is nothing left to do.
                LOG.error("{} stops: cannot write {}", Thread.currentThread().getName(), file.toAbsolutePath(), e);
                return;
            }
            // A sampler's period, not a wait for a condition.
            LockSupport.parkNanos(PERIOD_NANOS);
        }
    }
}

package io.raftboot.benchmarks.inproc;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How long this JVM's threads have waited, in total, for a CPU while runnable: the second field
 * of each thread's {@code /proc/self/task/<tid>/schedstat} (Linux with schedstats). Read around a
 * sample, the difference says whether the sample was slow because threads that could have run
 * did not get a core, which no profile of the Java code shows.
 */
final class RunQueueWait {

    private static final Path TASKS = Path.of("/proc/self/task");

    private RunQueueWait() {}

    /** Nanoseconds waited so far by the threads alive now, or -1 where the kernel does not tell. */
    static long totalNanos() {
        long total = 0;
        try (DirectoryStream<Path> tasks = Files.newDirectoryStream(TASKS)) {
            for (Path task : tasks) {
                try {
                    String[] fields =
                            Files.readString(task.resolve("schedstat")).trim().split(" ");
                    total += Long.parseLong(fields[1]);
                } catch (IOException | RuntimeException e) {
                    // the thread ended meanwhile: its wait is lost, a small undercount
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return total;
    }
}

package io.raftboot.samples.scheduler.probe;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The lease probe's file: one line per observation, {@code <System.nanoTime()> <nodeId> <term>
 * <true|false>}, appended (a node restarted with the same data directory continues the file).
 *
 * <p>Each line goes to the kernel in one unbuffered {@code write(2)} before {@link #append}
 * returns, so it survives a {@code kill -9} of the process right after (not a power loss: that
 * would need an fsync per line, which the probe's readers on the same machine do not need).
 */
public final class LeaseProbeLog implements AutoCloseable {

    /** The file's name inside {@code raft.data-dir}. */
    public static final String FILE_NAME = "lease-probe.log";

    private final FileOutputStream out;

    public LeaseProbeLog(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = new FileOutputStream(file.toFile(), true);
    }

    /** One line in the contract's format (docs/getting-started.md, "The lease probe"). */
    public static String line(long nanoTime, String nodeId, long term, boolean leader) {
        return nanoTime + " " + nodeId + " " + term + " " + leader + "\n";
    }

    public void append(long nanoTime, String nodeId, long term, boolean leader) throws IOException {
        // A FileOutputStream has no buffer: this is the write(2), "flushed at once".
        out.write(line(nanoTime, nodeId, term, leader).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

package io.raftboot.samples.scheduler.probe;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The role probe's file: one line per observation, {@code <System.nanoTime()> <nodeId> <role>
 * <token> <true|false>}, appended (a restarted node continues the file). Written like {@link
 * LeaseProbeLog}: one unbuffered {@code write(2)} per line, so a line survives a {@code kill -9}
 * right after it.
 */
public final class RoleProbeLog implements AutoCloseable {

    /** The file's name inside {@code raft.data-dir}. */
    public static final String FILE_NAME = "role-probe.log";

    private final FileOutputStream out;

    public RoleProbeLog(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        this.out = new FileOutputStream(file.toFile(), true);
    }

    /** One line in the format of issue 16 (docs/getting-started.md, "The lease probe"). */
    public static String line(long nanoTime, String nodeId, String role, long token, boolean held) {
        return nanoTime + " " + nodeId + " " + role + " " + token + " " + held + "\n";
    }

    public void append(long nanoTime, String nodeId, String role, long token, boolean held) throws IOException {
        out.write(line(nanoTime, nodeId, role, token, held).getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}

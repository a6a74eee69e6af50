package io.raftboot.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The fsync discipline of {@link FileStorage}, in one place, counting its fsyncs (tests check
 * that a {@code persist} call costs one).
 */
final class DurableFiles {

    /** Suffix of files being written; a crash can leave one behind, and opening removes it. */
    static final String TMP_SUFFIX = ".tmp";

    private static final boolean WINDOWS = System.getProperty("os.name", "").startsWith("Windows");

    interface ChannelWriter {
        void writeTo(FileChannel channel) throws IOException;
    }

    private long syncs;

    /** fsyncs done so far. */
    long syncs() {
        return syncs;
    }

    /**
     * Makes written bytes durable. {@code force(false)} is fdatasync on Linux, which also flushes
     * the file size (the metadata needed to read the appended bytes back); the name and the
     * other metadata need no flush for an append.
     */
    void force(FileChannel channel) throws IOException {
        channel.force(false);
        syncs++;
    }

    /**
     * Replaces {@code target} with what {@code writer} writes, atomically: a crash leaves the old
     * file or the new one, never a mix. Writes {@code target.tmp}, fsyncs it, renames it over
     * the target ({@code ATOMIC_MOVE}) and fsyncs the directory so the rename itself is durable.
     */
    void replaceAtomically(Path target, ChannelWriter writer) throws IOException {
        Path tmp = target.resolveSibling(target.getFileName() + TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            writer.writeTo(channel);
            channel.force(true);
            syncs++;
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(target.getParent());
    }

    void replaceAtomically(Path target, byte[] content) throws IOException {
        replaceAtomically(target, channel -> writeFully(channel, content, 0));
    }

    /**
     * Creates {@code dir} and any missing parents, and fsyncs the parent of each directory it
     * created: a new directory's name is an entry in its parent, and without that fsync a power
     * loss can take the directory, and the files already made durable in it, away again.
     */
    void createDirectories(Path dir) throws IOException {
        Path topCreated = null;
        for (Path p = dir.toAbsolutePath(); p != null && !Files.exists(p); p = p.getParent()) {
            topCreated = p;
        }
        Files.createDirectories(dir);
        if (topCreated == null) {
            return;
        }
        for (Path p = dir.toAbsolutePath(); p != null; p = p.getParent()) {
            syncDirectory(p.getParent());
            if (p.equals(topCreated)) {
                return;
            }
        }
    }

    /** fsyncs a directory so that file creations and renames in it survive a crash. */
    void syncDirectory(Path dir) throws IOException {
        if (WINDOWS) {
            return; // a directory cannot be opened as a channel there; NTFS journals renames itself
        }
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
            syncs++;
        }
    }

    static void writeFully(FileChannel channel, byte[] bytes, long position) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf, position + buf.position());
        }
    }
}

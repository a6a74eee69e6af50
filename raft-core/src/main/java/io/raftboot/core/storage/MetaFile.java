package io.raftboot.core.storage;

import io.raftboot.core.storage.LogRecordCodec.Meta;
import io.raftboot.core.storage.LogRecordCodec.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code meta} file of a {@link FileStorage} directory, written once when the directory is
 * created: the storage format version and the id of the node the directory belongs to. Also
 * reads the other single-record files (the snapshot).
 */
final class MetaFile {

    static final String NAME = "meta";

    private MetaFile() {
    }

    /**
     * Checks the meta file of {@code dir}, or writes it if the directory is new.
     *
     * @param nodeId the node opening the directory, or {@code null} to skip the check
     * @param dataFiles files whose presence shows the directory is not new
     */
    static void openOrCreate(Path dir, String nodeId, DurableFiles files, Path... dataFiles) throws IOException {
        Path metaFile = dir.resolve(NAME);
        if (!Files.exists(metaFile)) {
            for (Path data : dataFiles) {
                if (Files.exists(data)) {
                    throw new StorageException("data directory " + dir + " holds " + data.getFileName() + " but no '"
                            + NAME + "' file, so it was not created by FileStorage or its meta file was lost;"
                            + " restore the directory from a backup or point the node at another directory");
                }
            }
            files.replaceAtomically(metaFile, LogRecordCodec.meta(nodeId));
            return;
        }
        Meta meta;
        try {
            meta = LogRecordCodec.decodeMeta(readSingleRecord(metaFile));
        } catch (IOException | IllegalArgumentException e) {
            throw damaged(metaFile, e);
        }
        if (meta.formatVersion() != LogRecordCodec.FORMAT_VERSION) {
            throw new StorageException("data directory " + dir + " has storage format version " + meta.formatVersion()
                    + " but this version reads only " + LogRecordCodec.FORMAT_VERSION
                    + "; run the version of raft-core that wrote it");
        }
        if (nodeId != null && meta.nodeId() != null && !nodeId.equals(meta.nodeId())) {
            throw new StorageException("data directory " + dir + " belongs to node '" + meta.nodeId()
                    + "', not to node '" + nodeId + "'; give each node its own data directory (raft.data-dir), or"
                    + " remove this one if node '" + meta.nodeId() + "' no longer exists");
        }
    }

    /** Reads a file that holds exactly one record, written whole by an atomic rename. */
    static Record readSingleRecord(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        Record r = LogRecordCodec.tryRead(bytes, 0, bytes.length, 0);
        if (r == null || r.size() != bytes.length) {
            throw new IOException(bytes.length + " bytes that are not exactly one record with a valid CRC32C checksum");
        }
        return r;
    }

    /** The error for a file that is only ever replaced atomically but does not read back. */
    static StorageException damaged(Path file, Exception e) {
        return new StorageException("file " + file + " is damaged: " + e.getMessage() + ". It is only ever replaced"
                + " atomically, so a crash cannot cause this; restore the data directory from a backup", e);
    }
}

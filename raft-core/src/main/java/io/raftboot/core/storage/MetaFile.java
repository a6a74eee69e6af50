package io.raftboot.core.storage;

import io.raftboot.core.storage.LogRecordCodec.Meta;
import io.raftboot.core.storage.LogRecordCodec.Record;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The {@code meta} file of a {@link FileStorage} directory, written when the directory is
 * created: the storage format version, the id of the node and the id of the cluster the
 * directory belongs to. Rewritten (atomically) only once more, when a version-1 directory adopts
 * its cluster id (see {@link FileStorage}). Also reads the other single-record files (the
 * snapshot).
 */
final class MetaFile {

    static final String NAME = "meta";

    private MetaFile() {}

    /**
     * Checks the meta file of {@code dir}, or writes it if the directory is new.
     *
     * @param nodeId the node opening the directory, or {@code null} to skip the check
     * @param clusterId the cluster of that node, or {@code null} to skip the check
     * @param dataFiles files whose presence shows the directory is not new
     * @return the meta file's content as it is on disk now (for a new directory, what was written)
     */
    static Meta openOrCreate(Path dir, String nodeId, String clusterId, DurableFiles files, Path... dataFiles)
            throws IOException {
        Path metaFile = dir.resolve(NAME);
        if (!Files.exists(metaFile)) {
            for (Path data : dataFiles) {
                if (Files.exists(data)) {
                    throw new StorageException("data directory " + dir + " holds " + data.getFileName() + " but no '"
                            + NAME + "' file, so it was not created by FileStorage or its meta file was lost;"
                            + " restore the directory from a backup or point the node at another directory");
                }
            }
            write(metaFile, nodeId, clusterId, files);
            return new Meta(LogRecordCodec.FORMAT_VERSION, nodeId, clusterId);
        }
        Meta meta;
        try {
            meta = LogRecordCodec.decodeMeta(readSingleRecord(metaFile));
        } catch (IOException | IllegalArgumentException e) {
            throw damaged(metaFile, e);
        }
        if (meta.formatVersion() < LogRecordCodec.FORMAT_VERSION_1
                || meta.formatVersion() > LogRecordCodec.FORMAT_VERSION) {
            throw new StorageException("meta file " + metaFile + " says data directory " + dir + " has storage format"
                    + " version " + meta.formatVersion() + " but this version of raft-core reads only versions "
                    + LogRecordCodec.FORMAT_VERSION_1 + " to " + LogRecordCodec.FORMAT_VERSION
                    + "; run the version of raft-core that wrote it");
        }
        if (nodeId != null && meta.nodeId() != null && !nodeId.equals(meta.nodeId())) {
            throw new StorageException("meta file " + metaFile + " says data directory " + dir + " belongs to node '"
                    + meta.nodeId() + "', not to node '" + nodeId + "' (raft.node-id); give each node its own data"
                    + " directory and point raft.data-dir at this node's, or delete this one if node '"
                    + meta.nodeId() + "' no longer exists");
        }
        if (clusterId != null && meta.clusterId() != null && !clusterId.equals(meta.clusterId())) {
            throw new StorageException("meta file " + metaFile + " says data directory " + dir + " belongs to cluster '"
                    + meta.clusterId() + "', not to cluster '" + clusterId + "' (raft.cluster-id)"
                    + ofNode(nodeId != null ? nodeId : meta.nodeId()) + ". Point raft.data-dir at this node's directory"
                    + " of cluster '" + clusterId + "'; if the node is new to cluster '" + clusterId + "', delete (or"
                    + " move away) this directory so that it starts empty and catches up from the leader. A data"
                    + " directory keeps the cluster id it was created with: if the cluster was renamed, set"
                    + " raft.cluster-id back to '" + meta.clusterId() + "'");
        }
        return meta;
    }

    /** " of node 'id'", or nothing if no node id is known. */
    static String ofNode(String nodeId) {
        return nodeId == null ? "" : " of node '" + nodeId + "'";
    }

    /** Replaces the meta file atomically with one of the current version. */
    static void write(Path metaFile, String nodeId, String clusterId, DurableFiles files) throws IOException {
        files.replaceAtomically(metaFile, LogRecordCodec.meta(nodeId, clusterId));
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
        return new StorageException(
                "file " + file + " is damaged: " + e.getMessage() + ". It is only ever replaced"
                        + " atomically, so a crash cannot cause this; restore the data directory from a backup",
                e);
    }
}

package io.raftboot.core.storage;

import io.raftboot.core.log.LogEntry;
import io.raftboot.core.storage.LogRecordCodec.Record;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;

/**
 * A {@link Storage} in a data directory of three files, all in the {@link LogRecordCodec} format:
 * <ul>
 *   <li>{@code meta}: written once; format version and the node id and cluster id the directory
 *       belongs to ({@link MetaFile});</li>
 *   <li>{@code snapshot}: the latest snapshot and the cluster id it belongs to, replaced
 *       atomically (temp file, fsync, rename, directory fsync);</li>
 *   <li>{@code log}: append-only: a LOG_START_BATCHED record (the log holds the entries after the
 *       snapshot's last index), then ENTRY and HARD_STATE records in batches closed by BATCH_END
 *       records; the last HARD_STATE wins.</li>
 * </ul>
 * The hard state lives in the log (like etcd's WAL state records) so that a {@code persist} of
 * entries and hard state is one write and one fsync. A snapshot rewrites the log atomically: the
 * snapshot file first, then a new log holding the snapshot's position, the hard state and the
 * kept entries. A crash between the two is finished on the next {@link #load()}.
 *
 * <p>Conflict truncation (§5.3) writes no marker and rewrites nothing: an ENTRY record at an index
 * the log already holds truncates the log from there when replayed, exactly like
 * {@link Storage#append}. So a conflicting append costs one fsync like any other, and the bytes it
 * supersedes are reclaimed by the next snapshot's rewrite. A torn write of such an append leaves a
 * truncated log, which is a state the append passes through anyway.
 *
 * <p>Batches (format version 3): each {@code persist} writes its records and a BATCH_END record
 * (the batch's start, record count and CRC32C) in one write and one fsync, and a rewritten log is
 * one batch. Recovery: everything after the last complete batch is a torn tail (the last batch's
 * pages may reach the disk in any order, so its middle can be garbage while its end is intact);
 * it was never acknowledged and is cut off. A bad record followed by a complete batch is damage
 * to acknowledged data and stops the node ({@link LogScanner}). A log of format version 1 or 2
 * (no batch markers) is read with the old rule (only the end may be torn) and rewritten in
 * version 3 by {@link #load()}, then the meta file. A new data directory is fsynced into its
 * parent ({@link DurableFiles#createDirectories}). Every I/O error is a {@link StorageException},
 * after which this instance refuses further use.
 *
 * <p>Foreign files: a meta file of another node id or cluster id, and a snapshot file of another
 * cluster id, are refused with a {@link StorageException} naming the file, both ids and what to do.
 * Taking them would make the node start with another node's or cluster's term, vote, log or state
 * machine.
 *
 * <p>Format version 1 (the first release) recorded no cluster id. Such a directory is accepted and
 * <em>adopts</em> the configured cluster id: once {@link #load()} has checked everything else, the
 * snapshot file (if any) and then the meta file are rewritten in version 2 with that cluster id,
 * each atomically (a crash in between leaves a version-1 meta and a version-2 snapshot, which the
 * next start accepts and finishes). Adopting is as safe as that release was: it never checked the
 * cluster id, so a version-1 directory was already taken as this cluster's, and refusing instead
 * would stop every node of every cluster at the upgrade for a risk the operator has no better way
 * to rule out than by starting it. From then on the cluster id is checked. A version-1 snapshot
 * file is accepted only while the meta file has no cluster id (the upgrade rewrites it first); in
 * an upgraded directory it is a file copied from elsewhere and is refused.
 */
public final class FileStorage implements Storage {

    private static final System.Logger LOG = System.getLogger(FileStorage.class.getName());

    static final String LOG_FILE = "log";
    static final String SNAPSHOT_FILE = "snapshot";

    private final Path dir;
    private final Path logFile;
    private final Path snapshotFile;
    private final Path metaFile;
    private final DurableFiles files = new DurableFiles();
    /** Configured ids, {@code null} for no check. */
    private final String nodeId;

    private final String clusterId;
    /** The meta file as read (or written) at opening. */
    private final LogRecordCodec.Meta meta;
    /** The cluster id this directory belongs to ({@code null}: none configured or recorded). */
    private final String directoryClusterId;
    /** The snapshot file as loaded: its cluster id decides whether adoption rewrites it. */
    private LogRecordCodec.StoredSnapshot storedSnapshot;

    private FileChannel log;
    private long logEnd;
    private HardState hardState = HardState.INITIAL;
    private Snapshot snapshot;
    private EntryPositions positions = new EntryPositions(1);
    /** Term of the entry just before the log's first entry (the snapshot's last term, or 0). */
    private long prevTermOfLog;
    /** Whether the log has batch markers (format version 3); an older log is rewritten by {@link #load()}. */
    private boolean logBatched;

    private boolean loaded;
    private boolean closed;
    private StorageException failure;

    /**
     * Opens (creating it if needed) a data directory without checking whose it is: for tools and
     * benchmarks. A node opens its directory with {@link #FileStorage(Path, String, String)}.
     */
    public FileStorage(Path dir) {
        this(dir, null, null);
    }

    /**
     * Opens (creating it if needed) the data directory of node {@code nodeId} of cluster
     * {@code clusterId}; refuses a directory created for another node id or cluster id (a
     * snapshot file of another cluster is refused by {@link #load()}). A directory written by the
     * first release (format version 1, no cluster id) adopts {@code clusterId}, see above.
     *
     * @param nodeId this node's id ({@code raft.node-id}), or {@code null}: no check
     * @param clusterId this node's cluster id ({@code raft.cluster-id}), or {@code null}: no check
     * @throws StorageException if the directory cannot be opened or belongs to another node or
     *     cluster; the message names the file and what to do
     */
    public FileStorage(Path dir, String nodeId, String clusterId) {
        this.dir = Objects.requireNonNull(dir, "dir").toAbsolutePath();
        this.logFile = this.dir.resolve(LOG_FILE);
        this.snapshotFile = this.dir.resolve(SNAPSHOT_FILE);
        this.metaFile = this.dir.resolve(MetaFile.NAME);
        this.nodeId = nodeId;
        this.clusterId = clusterId;
        try {
            files.createDirectories(this.dir);
            deleteLeftoverTempFiles();
            meta = MetaFile.openOrCreate(this.dir, nodeId, clusterId, files, logFile, snapshotFile);
            directoryClusterId = clusterId != null ? clusterId : meta.clusterId();
        } catch (IOException e) {
            throw new StorageException(
                    "cannot open the data directory " + this.dir + ": " + e
                            + "; check that it is a directory this process can read and write",
                    e);
        }
    }

    private void deleteLeftoverTempFiles() throws IOException {
        try (DirectoryStream<Path> tmps = Files.newDirectoryStream(dir, "*" + DurableFiles.TMP_SUFFIX)) {
            for (Path tmp : tmps) {
                Files.delete(tmp); // a write interrupted before its rename: never acknowledged
            }
        }
    }

    @Override
    public PersistentState load() {
        requireUsable();
        if (loaded) {
            throw new IllegalStateException("load() is called once, before any other method");
        }
        loaded = true;
        try {
            snapshot = Files.exists(snapshotFile) ? readSnapshotFile() : null;
            if (!Files.exists(logFile)) {
                if (snapshot != null) {
                    throw new StorageException("data directory " + dir + " has a snapshot but no log file, so its"
                            + " hard state (term and vote) is lost; restore the directory from a backup");
                }
                rewriteLog(0, 0, HardState.INITIAL, 1, 0, List.of());
                adoptClusterIdIfNeeded();
                return PersistentState.EMPTY;
            }
            log = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
            LogScanner.Scan scan = LogScanner.scan(log, logFile);
            if (scan.records().isEmpty()) {
                throw new StorageException("log file " + logFile + " has no valid first record (it is "
                        + scan.fileSize() + " bytes long). Log files are created whole by an atomic rename, so"
                        + " this is not a torn write: the file was truncated or damaged afterwards, and this node's"
                        + " term and vote are lost. Restore the data directory from a backup, or (only while the"
                        + " rest of the cluster has a working majority) move it away and restart this node empty");
            }
            LogReplay replay = LogReplay.of(scan.records(), logFile);
            positions = replay.positions;
            prevTermOfLog = replay.prevTerm;
            hardState = replay.hardState;
            // Only now that nothing refused the file: cut the torn tail off.
            if (scan.hasTornTail()) {
                LOG.log(
                        Level.WARNING,
                        "log file {0}: dropping a torn tail of {1} bytes from byte offset {2}"
                                + " (a write interrupted by a crash, never acknowledged)",
                        logFile,
                        scan.fileSize() - scan.validEnd(),
                        scan.validEnd());
                log.truncate(scan.validEnd());
                files.force(log);
            }
            logEnd = scan.validEnd();
            logBatched = scan.batched();
            List<LogEntry> entries = reconcileWithSnapshot(replay.entries);
            if (!logBatched) {
                upgradeLog();
            }
            adoptClusterIdIfNeeded();
            LOG.log(
                    Level.DEBUG,
                    "opened {0}: snapshot {1}, entries {2}..{3}, {4}",
                    dir,
                    snapshot,
                    positions.firstIndex(),
                    positions.lastIndex(),
                    hardState);
            return new PersistentState(hardState, snapshot, entries);
        } catch (IOException e) {
            throw fail("reading back", e);
        } catch (StorageException e) {
            failure = e;
            throw e;
        }
    }

    /**
     * Rewrites a log of format version 1 or 2 (no batch markers) as one marked batch, so that
     * from now on a torn last batch is told from damage ({@link LogScanner}); the meta file
     * follows (in {@link #adoptClusterIdIfNeeded()}). A crash in between leaves a version-3 log
     * under an older meta file, which is read like any other.
     */
    private void upgradeLog() throws IOException {
        LOG.log(
                Level.INFO,
                "data directory {0}: rewriting the log in storage format version {1} (batch markers)",
                dir,
                LogRecordCodec.FORMAT_VERSION);
        rewriteLog(
                positions.firstIndex() - 1,
                prevTermOfLog,
                hardState,
                positions.firstIndex(),
                positions.lastIndex(),
                List.of());
    }

    private Snapshot readSnapshotFile() throws IOException {
        LogRecordCodec.StoredSnapshot stored;
        try {
            stored = LogRecordCodec.decodeSnapshotFile(MetaFile.readSingleRecord(snapshotFile));
        } catch (IOException | IllegalArgumentException e) {
            throw MetaFile.damaged(snapshotFile, e);
        }
        checkClusterOf(stored);
        storedSnapshot = stored;
        return stored.snapshot();
    }

    /**
     * Refuses a snapshot file of another cluster. Without a cluster id in it (version 1, or written
     * while the directory had none) it is taken only while the meta file has none either: an
     * upgraded directory's snapshot is always rewritten with the cluster id first.
     */
    private void checkClusterOf(LogRecordCodec.StoredSnapshot stored) {
        if (directoryClusterId == null) {
            return; // no cluster id configured or recorded: nothing to check against
        }
        String found = stored.clusterId();
        if (found != null && found.equals(directoryClusterId)) {
            return;
        }
        if (found == null && meta.clusterId() == null) {
            return; // a version-1 directory: the snapshot adopts the cluster id with the meta file
        }
        String whose = found != null
                ? "belongs to cluster '" + found + "'"
                : "records no cluster id (format version " + stored.formatVersion() + ")";
        throw new StorageException("snapshot file " + snapshotFile + " " + whose + ", but this data directory belongs"
                + " to cluster '" + directoryClusterId + "' (meta file " + metaFile + ", raft.cluster-id)"
                + MetaFile.ofNode(nodeId != null ? nodeId : meta.nodeId()) + "; the snapshot (" + stored.snapshot()
                + ", voters "
                + new java.util.TreeSet<>(stored.snapshot().membership().voters()) + ") was copied here from another"
                + " directory. Do not start the node on it: put this directory's own snapshot file back from a"
                + " backup, or, if the other nodes of cluster '" + directoryClusterId + "' have a working majority,"
                + " delete (or move away) this directory so that the node starts empty and catches up from the"
                + " leader");
    }

    /**
     * Records the configured cluster id in a directory that has none (format version 1, or
     * created without a cluster id): the snapshot file first, then the meta file, each atomically.
     * Called at the end of a {@link #load()} that found nothing to refuse.
     */
    private void adoptClusterIdIfNeeded() throws IOException {
        if (clusterId == null || meta.clusterId() != null) {
            if (meta.formatVersion() < LogRecordCodec.FORMAT_VERSION) {
                MetaFile.write(metaFile, meta.nodeId(), meta.clusterId(), files); // the log is version 3 now
            }
            return;
        }
        if (storedSnapshot != null && storedSnapshot.clusterId() == null) {
            files.replaceAtomically(snapshotFile, LogRecordCodec.snapshot(storedSnapshot.snapshot(), clusterId));
            storedSnapshot = new LogRecordCodec.StoredSnapshot(
                    LogRecordCodec.FORMAT_VERSION, clusterId, storedSnapshot.snapshot());
        }
        MetaFile.write(metaFile, meta.nodeId() != null ? meta.nodeId() : nodeId, clusterId, files);
        LOG.log(
                Level.INFO,
                "data directory {0} (storage format version {1}) recorded no cluster id; it now belongs"
                        + " to cluster ''{2}'' (storage format version {3})",
                dir,
                meta.formatVersion(),
                clusterId,
                LogRecordCodec.FORMAT_VERSION);
    }

    private List<LogEntry> reconcileWithSnapshot(List<LogEntry> entries) throws IOException {
        long snapIndex = snapshot == null ? 0 : snapshot.lastIndex();
        long snapTerm = snapshot == null ? 0 : snapshot.lastTerm();
        long prevIndex = positions.firstIndex() - 1;
        if (prevIndex > snapIndex || (prevIndex == snapIndex && prevTermOfLog != snapTerm)) {
            throw new StorageException("log file " + logFile + " starts after entry " + prevIndex + "@" + prevTermOfLog
                    + " but the snapshot file holds " + (snapshot == null ? "nothing" : snapshot)
                    + "; the snapshot file was lost or replaced. Restore the data directory from a backup");
        }
        if (prevIndex == snapIndex) {
            return entries;
        }
        // A crash came between the snapshot's rename and the log's rewrite: finish the rewrite,
        // keeping the entries after the snapshot only if the log holds its last entry (§7).
        boolean keep = snapIndex <= positions.lastIndex() && positions.termAt(snapIndex) == snapTerm;
        long keptLast = keep ? positions.lastIndex() : snapIndex;
        List<LogEntry> kept = keep
                ? List.copyOf(entries.subList((int) (snapIndex + 1 - positions.firstIndex()), entries.size()))
                : List.of();
        LOG.log(Level.INFO, "data directory {0}: finishing a log compaction interrupted by a crash", dir);
        rewriteLog(snapIndex, snapTerm, hardState, snapIndex + 1, keptLast, List.of());
        return kept;
    }

    @Override
    public void append(List<LogEntry> entries) {
        persist(null, entries, null);
    }

    @Override
    public void saveHardState(HardState hardState) {
        persist(null, List.of(), Objects.requireNonNull(hardState, "hardState"));
    }

    @Override
    public void saveSnapshot(Snapshot snapshot) {
        persist(Objects.requireNonNull(snapshot, "snapshot"), List.of(), null);
    }

    /**
     * Without a snapshot: one write and one fsync for the entries and the hard state (none if
     * there is nothing new). With one: the snapshot file, then one rewrite of the log holding
     * the kept entries, the new entries and the hard state.
     */
    @Override
    public void persist(Snapshot newSnapshot, List<LogEntry> entries, HardState newHardState) {
        requireLoaded();
        Objects.requireNonNull(entries, "entries");
        if (newSnapshot != null) {
            persistWithSnapshot(newSnapshot, entries, newHardState);
            return;
        }
        List<LogEntry> toAppend = LogChecks.checkAppend(positions.firstIndex(), positions.lastIndex(), entries);
        boolean hardStateChanged = newHardState != null && !newHardState.equals(hardState);
        if (toAppend.isEmpty() && !hardStateChanged) {
            return;
        }
        // Entries before the hard state: a torn batch leaves a prefix of the persist order.
        ByteArrayOutputStream batch = new ByteArrayOutputStream();
        long[] offsets = new long[toAppend.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = logEnd + batch.size();
            batch.writeBytes(LogRecordCodec.entry(toAppend.get(i)));
        }
        if (hardStateChanged) {
            batch.writeBytes(LogRecordCodec.hardState(newHardState));
        }
        // The marker that tells a complete batch from the torn last one (LogScanner).
        byte[] records = batch.toByteArray();
        batch.writeBytes(
                LogRecordCodec.batchEnd(logEnd, offsets.length + (hardStateChanged ? 1 : 0), records, records.length));
        try {
            DurableFiles.writeFully(log, batch.toByteArray(), logEnd);
            files.force(log);
        } catch (IOException e) {
            throw fail("appending to", e);
        }
        if (!toAppend.isEmpty()) {
            positions.truncateFrom(toAppend.get(0).index());
            for (int i = 0; i < offsets.length; i++) {
                positions.add(toAppend.get(i).term(), offsets[i]);
            }
        }
        logEnd += batch.size();
        if (hardStateChanged) {
            hardState = newHardState;
        }
    }

    private void persistWithSnapshot(Snapshot newSnapshot, List<LogEntry> entries, HardState newHardState) {
        boolean keep = LogChecks.holdsLastEntryOf(snapshot, positions.lastIndex(), positions::termAt, newSnapshot);
        long first = newSnapshot.lastIndex() + 1;
        long keptLast = keep ? positions.lastIndex() : newSnapshot.lastIndex();
        List<LogEntry> toAppend = LogChecks.checkAppend(first, keptLast, entries);
        if (!toAppend.isEmpty()) {
            keptLast = Math.min(keptLast, toAppend.get(0).index() - 1);
        }
        try {
            files.replaceAtomically(snapshotFile, LogRecordCodec.snapshot(newSnapshot, directoryClusterId));
            snapshot = newSnapshot;
            rewriteLog(
                    newSnapshot.lastIndex(),
                    newSnapshot.lastTerm(),
                    newHardState == null ? hardState : newHardState,
                    first,
                    keptLast,
                    toAppend);
        } catch (IOException e) {
            throw fail("installing a snapshot in", e);
        }
    }

    /**
     * Atomically replaces the log with one starting after {@code prevIndex}, holding
     * {@code hs}, the current entries {@code copyFrom..copyTo} (copied as they are, checksums
     * checked) and then {@code newEntries}.
     */
    private void rewriteLog(
            long prevIndex, long prevTerm, HardState hs, long copyFrom, long copyTo, List<LogEntry> newEntries)
            throws IOException {
        EntryPositions rewritten = new EntryPositions(prevIndex + 1);
        long[] end = new long[1];
        files.replaceAtomically(logFile, channel -> {
            // The whole file is one batch, closed by a BATCH_END with its CRC.
            CRC32C crc = new CRC32C();
            OutputStream out =
                    new CheckedOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16), crc);
            long pos = writeRecord(out, LogRecordCodec.logStart(prevIndex, prevTerm), 0);
            pos = writeRecord(out, LogRecordCodec.hardState(hs), pos);
            int records = 2;
            for (long i = copyFrom; i <= copyTo; i++) {
                rewritten.add(positions.termAt(i), pos);
                pos = writeRecord(out, readEntryRecord(i), pos);
                records++;
            }
            for (LogEntry e : newEntries) {
                rewritten.add(e.term(), pos);
                pos = writeRecord(out, LogRecordCodec.entry(e), pos);
                records++;
            }
            pos = writeRecord(out, LogRecordCodec.batchEnd(0, records, (int) crc.getValue()), pos);
            out.flush();
            end[0] = pos;
        });
        if (log != null) {
            log.close(); // the old, now unlinked, file
        }
        log = FileChannel.open(logFile, StandardOpenOption.READ, StandardOpenOption.WRITE);
        positions = rewritten;
        prevTermOfLog = prevTerm;
        logEnd = end[0];
        logBatched = true;
        hardState = hs;
    }

    private static long writeRecord(OutputStream out, byte[] record, long pos) throws IOException {
        out.write(record);
        return pos + record.length;
    }

    /** The framed record of entry {@code index}, read from the current log and checked. */
    private byte[] readEntryRecord(long index) throws IOException {
        long offset = positions.offsetAt(index);
        ByteBuffer header = ByteBuffer.allocate(LogRecordCodec.HEADER_BYTES);
        readFully(header, offset);
        int length = header.getInt(0);
        if (length < 1 || offset + LogRecordCodec.HEADER_BYTES + length > logEnd) {
            throw corruptSinceLoad(offset, index);
        }
        byte[] bytes = new byte[LogRecordCodec.HEADER_BYTES + length];
        readFully(ByteBuffer.wrap(bytes), offset);
        Record r = LogRecordCodec.tryRead(bytes, 0, bytes.length, offset);
        if (r == null
                || r.type() != LogRecordCodec.ENTRY
                || LogRecordCodec.decodeEntry(r).index() != index) {
            throw corruptSinceLoad(offset, index);
        }
        return bytes;
    }

    private void readFully(ByteBuffer buf, long offset) throws IOException {
        while (buf.hasRemaining()) {
            if (log.read(buf, offset + buf.position()) < 0) {
                throw new IOException("unexpected end of " + logFile + " at byte offset " + (offset + buf.position()));
            }
        }
    }

    private StorageException corruptSinceLoad(long offset, long index) {
        return new StorageException("log file " + logFile + " is corrupt at byte offset " + offset + ": entry " + index
                + " no longer reads back as written (checksum or framing). The disk is damaging data; stop the node,"
                + " check the disk and restore the data directory from a backup");
    }

    /** Marks this storage failed: after a failed write the file's state is unknown (no retry of an fsync). */
    private StorageException fail(String what, IOException e) {
        failure = new StorageException(
                what + " the data directory " + dir + " failed: " + e
                        + ". Stop the node, check the disk (space, permissions, hardware errors) and restart it;"
                        + " recovery drops any incomplete write",
                e);
        return failure;
    }

    private void requireUsable() {
        if (failure != null) {
            throw new StorageException(
                    "this storage failed earlier and refuses further use: " + failure.getMessage(), failure);
        }
        if (closed) {
            throw new StorageException("storage of " + dir + " is closed; open a new FileStorage to continue");
        }
    }

    private void requireLoaded() {
        requireUsable();
        if (!loaded) {
            throw new IllegalStateException("call load() before writing to " + dir);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                throw new StorageException("closing the log file " + logFile + " failed: " + e, e);
            }
        }
    }

    /** fsyncs so far, for tests. */
    long syncs() {
        return files.syncs();
    }

    /** The open log file, for tests that break it underneath. */
    FileChannel logChannel() {
        return log;
    }
}

package io.raftboot.core.node;

import io.raftboot.core.log.EntryType;
import io.raftboot.core.log.LogEntry;
import io.raftboot.core.log.RaftLog;

/**
 * Which configuration a node uses: the latest MEMBERSHIP entry in its log, committed or not
 * (thesis §4.1: a server uses the newest configuration in its log), else the one its snapshot
 * records, else the bootstrap membership of the settings (a brand-new cluster, or a new node
 * that has not heard from the leader yet). When a conflicting suffix is truncated, the node
 * falls back to the configuration before it.
 */
final class Configurations {

    private final Membership bootstrap;
    private Membership current;
    /** Log index of the entry {@link #current} comes from; the snapshot's index, or 0 for the bootstrap. */
    private long index;

    Configurations(Membership bootstrap, RaftLog log) {
        this.bootstrap = bootstrap;
        rescan(log);
    }

    Membership current() {
        return current;
    }

    long index() {
        return index;
    }

    /** Whether the latest configuration is not committed yet: a change is under way. */
    boolean changePending(long commit) {
        return index > commit;
    }

    /**
     * The log changed from {@code fromIndex} on (entries appended, or a conflicting suffix
     * replaced): returns whether the configuration changed.
     */
    boolean refresh(RaftLog log, long fromIndex) {
        Membership before = current;
        long beforeIndex = index;
        if (index >= fromIndex || index > log.lastIndex()) {
            rescan(log); // the entry we used may be gone
        } else {
            for (long i = log.lastIndex(); i >= Math.max(fromIndex, log.firstIndex()); i--) {
                LogEntry e = log.entry(i);
                if (e.type() == EntryType.MEMBERSHIP) {
                    use(e);
                    break;
                }
            }
        }
        return beforeIndex != index || !before.equals(current);
    }

    /** The log was replaced or restored from a snapshot: find the configuration again. */
    void rescan(RaftLog log) {
        for (long i = log.lastIndex(); i >= log.firstIndex(); i--) {
            LogEntry e = log.entry(i);
            if (e.type() == EntryType.MEMBERSHIP) {
                use(e);
                return;
            }
        }
        current = log.snapshot() != null ? log.snapshot().membership() : bootstrap;
        index = log.snapshotIndex();
    }

    /** The configuration in force at {@code at} (for a snapshot taken there). */
    Membership at(RaftLog log, long at) {
        for (long i = Math.min(at, log.lastIndex()); i >= log.firstIndex(); i--) {
            LogEntry e = log.entry(i);
            if (e.type() == EntryType.MEMBERSHIP) {
                return MembershipCodec.decode(e.data());
            }
        }
        return log.snapshot() != null ? log.snapshot().membership() : bootstrap;
    }

    /** The leader appended a new configuration at {@code entryIndex}. */
    void appended(long entryIndex, Membership next) {
        current = next;
        index = entryIndex;
    }

    private void use(LogEntry e) {
        current = MembershipCodec.decode(e.data());
        index = e.index();
    }
}

package io.raftboot.core.storage;

import java.util.Arrays;

/**
 * Term and file offset of each entry of the log file, indexed by log index from
 * {@code firstIndex}: what {@link FileStorage} keeps in memory instead of the entries, to check
 * conflicts and snapshots and to copy entries when it rewrites the log.
 */
final class EntryPositions {

    private final long firstIndex;
    private long[] terms = new long[64];
    private long[] offsets = new long[64];
    private int size;

    EntryPositions(long firstIndex) {
        this.firstIndex = firstIndex;
    }

    long firstIndex() {
        return firstIndex;
    }

    /** Last index held, or {@code firstIndex - 1} when empty. */
    long lastIndex() {
        return firstIndex + size - 1;
    }

    long termAt(long index) {
        return terms[slot(index)];
    }

    long offsetAt(long index) {
        return offsets[slot(index)];
    }

    /** Removes the entries at {@code index} and after (conflict truncation). */
    void truncateFrom(long index) {
        if (index <= lastIndex()) {
            size = (int) (Math.max(index, firstIndex) - firstIndex);
        }
    }

    /** Adds the entry at {@code lastIndex() + 1}. */
    void add(long term, long offset) {
        if (size == terms.length) {
            terms = Arrays.copyOf(terms, size * 2);
            offsets = Arrays.copyOf(offsets, size * 2);
        }
        terms[size] = term;
        offsets[size] = offset;
        size++;
    }

    private int slot(long index) {
        if (index < firstIndex || index > lastIndex()) {
            throw new IndexOutOfBoundsException("index " + index + " outside " + firstIndex + ".." + lastIndex());
        }
        return (int) (index - firstIndex);
    }
}

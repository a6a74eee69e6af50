package io.raftboot.core.message;

import io.raftboot.core.storage.Snapshot;

/** InstallSnapshot (Raft paper §7, Figure 13), sent whole: config snapshots are small. */
public record InstallSnapshot(String from, String to, long term, Snapshot snapshot) implements Message {}

package io.raftboot.core.message;

/**
 * Reply to {@link InstallSnapshot}.
 *
 * @param matchIndex the snapshot's last included index once it is durable on the sender
 */
public record SnapshotResponse(String from, String to, long term, long matchIndex) implements Message {}

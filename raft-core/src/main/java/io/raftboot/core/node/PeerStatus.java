package io.raftboot.core.node;

/**
 * What the leader knows of one peer; on a non-leader only {@code id} and {@code voter} are
 * meaningful ({@code matchIndex} and {@code ticksSinceContact} are -1).
 */
public record PeerStatus(String id, boolean voter, long matchIndex, long ticksSinceContact) {}

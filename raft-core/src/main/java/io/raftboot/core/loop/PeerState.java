package io.raftboot.core.loop;

/**
 * One peer as the leader sees it; on a non-leader {@code matchIndex} and
 * {@code lastContactMillis} are -1.
 */
public record PeerState(String id, boolean voter, long matchIndex, long lastContactMillis) {}

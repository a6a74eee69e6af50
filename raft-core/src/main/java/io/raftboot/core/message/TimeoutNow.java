package io.raftboot.core.message;

/** Leadership transfer (thesis §3.10): the leader tells an up-to-date follower to campaign now. */
public record TimeoutNow(String from, String to, long term) implements Message {}

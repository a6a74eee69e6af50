package io.raftboot.core.node;

/** Volatile role information, reported in a {@link Ready} when it changes. */
public record SoftState(Role role, long term, String leaderId) {}

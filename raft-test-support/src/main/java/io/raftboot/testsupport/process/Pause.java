package io.raftboot.testsupport.process;

/**
 * A SIGSTOP pause of a node: stopped at {@code stoppedNanos} (taken after the signal), resumed at
 * {@code resumedNanos} (taken before it), both {@link System#nanoTime()}.
 */
public record Pause(long stoppedNanos, long resumedNanos) {}

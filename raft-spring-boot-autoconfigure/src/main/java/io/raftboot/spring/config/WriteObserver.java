package io.raftboot.spring.config;

import java.time.Duration;

/** Told how long each successful config write took from submission to commit (for metrics). */
@FunctionalInterface
public interface WriteObserver {

    void committed(Duration latency);
}

package io.raftboot.spring.config;

/** A registered {@link ConfigWatcher}; {@link #close()} stops it. */
@FunctionalInterface
public interface ConfigWatch extends AutoCloseable {

    @Override
    void close();
}

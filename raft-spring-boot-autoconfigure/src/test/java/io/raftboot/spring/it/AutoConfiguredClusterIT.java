package io.raftboot.spring.it;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;

/**
 * What the ITs of nodes built by nothing but auto-configuration share: an application class, a
 * data directory per test, and a cluster closed after each test.
 */
abstract class AutoConfiguredClusterIT {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {}

    @TempDir
    Path data;

    RaftTestCluster cluster;

    /** A cluster of n1..n{size}, not started, closed after the test. */
    RaftTestCluster newCluster(int size) {
        cluster = new RaftTestCluster(size, data, App.class);
        return cluster;
    }

    @AfterEach
    void closeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }
}

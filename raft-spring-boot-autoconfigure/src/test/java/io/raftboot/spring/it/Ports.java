package io.raftboot.spring.it;

/** Free loopback ports for tests. */
public final class Ports {

    private Ports() {
    }

    public static int free() {
        return RaftTestCluster.freePort();
    }
}

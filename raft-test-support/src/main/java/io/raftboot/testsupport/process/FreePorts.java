package io.raftboot.testsupport.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** Free TCP ports for nodes under test. */
public final class FreePorts {

    /** The lowest port {@link #belowEphemeralRange} picks. */
    static final int LOW = 10_000;

    private FreePorts() {}

    /**
     * A port the kernel says is free on loopback now. Good for a node that starts once; a node
     * that restarts on the same port wants {@link #belowEphemeralRange}.
     */
    public static int any() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Distinct free ports below the kernel's ephemeral range, so that no outgoing connection (of
     * the nodes or of the test) is given the port of a node while that node restarts.
     */
    public static List<Integer> belowEphemeralRange(int count) {
        int high = Math.max(LOW + 1000, ephemeralRangeStart());
        Random random = new Random();
        Set<Integer> ports = new LinkedHashSet<>();
        for (int attempt = 0; ports.size() < count && attempt < 1000; attempt++) {
            int port = LOW + random.nextInt(high - LOW);
            if (!ports.contains(port) && isFree(port)) {
                ports.add(port);
            }
        }
        if (ports.size() < count) {
            throw new IllegalStateException("could not find " + count + " free ports in " + LOW + ".." + high);
        }
        return List.copyOf(ports);
    }

    /** The first port of Linux' ephemeral range, or its usual default where it cannot be read. */
    static int ephemeralRangeStart() {
        try {
            Path range = Path.of("/proc/sys/net/ipv4/ip_local_port_range");
            if (Files.isReadable(range)) {
                return Integer.parseInt(Files.readString(range).trim().split("\\s+")[0]);
            }
        } catch (IOException | RuntimeException e) {
            // the default below
        }
        return 32768;
    }

    /** Bound on every address, as the nodes' servers bind: free on loopback alone is not enough. */
    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}

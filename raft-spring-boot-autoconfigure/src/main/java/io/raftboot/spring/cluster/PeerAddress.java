package io.raftboot.spring.cluster;

/**
 * A peer's gRPC address, {@code host:port} ({@code [v6addr]:port} for IPv6 literals).
 */
public record PeerAddress(String host, int port) {

    public PeerAddress {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be in 1..65535, got " + port);
        }
    }

    /**
     * Parses {@code host:port}.
     *
     * @throws IllegalArgumentException naming the value and the expected form
     */
    public static PeerAddress parse(String value) {
        if (value == null) {
            throw new IllegalArgumentException("address is missing; expected host:port");
        }
        String v = value.trim();
        if (v.length() > io.raftboot.core.node.Membership.MAX_ADDRESS_CHARS) {
            throw new IllegalArgumentException("an address of " + v.length() + " characters is not host:port (at most "
                    + io.raftboot.core.node.Membership.MAX_ADDRESS_CHARS + ")");
        }
        int colon = v.lastIndexOf(':');
        if (colon <= 0 || colon == v.length() - 1) {
            throw new IllegalArgumentException("'" + value + "' is not host:port (for example 10.0.0.5:9090)");
        }
        String host = v.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.contains(":")) {
            throw new IllegalArgumentException("'" + value + "' is not host:port; write IPv6 addresses as [addr]:port");
        }
        int port;
        try {
            port = Integer.parseInt(v.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + value + "' has no numeric port; expected host:port");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + value + "' has port " + port + ", outside 1..65535");
        }
        return new PeerAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}

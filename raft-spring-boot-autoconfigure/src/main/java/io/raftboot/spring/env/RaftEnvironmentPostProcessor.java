package io.raftboot.spring.env;

import io.raftboot.spring.cluster.PeerAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * Adds, with the lowest precedence (so anything configured explicitly wins):
 * <ol>
 *   <li>the {@code raft.*} properties derived from the seed's environment variables
 *       ({@link SeedEnvironment});</li>
 *   <li>{@code grpc.server.port} = the port of this node's own entry in {@code raft.peers}, for the
 *       application's net.devh server when it serves Raft (not with {@code raft.server.mode=own});
 *       {@code grpc.server.max-inbound-message-size} = {@code raft.max-message-size};
 *       {@code grpc.server.permit-keep-alive-time} = 10s (the peer channels ping every 20 s);</li>
 *   <li>with {@code raft.server.mode=shared} and no net.devh, for the application's Spring gRPC
 *       server (Boot 4): {@code spring.grpc.server.port} = the port of this node's own entry in
 *       {@code raft.peers}, and the same message size and keepalive permit under Spring gRPC's
 *       names (1.0.x's and Boot 4.1's).</li>
 * </ol>
 * Runs after the config data (application.yml) is loaded, so it sees the configured
 * {@code raft.*} values. Does nothing when {@code raft.enabled=false}.
 */
public class RaftEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    /** Name of the property source holding the seed environment's mapping. */
    public static final String SEED_SOURCE = "raftSeedEnvironment";
    /** Name of the property source holding defaults derived from {@code raft.*}. */
    public static final String DEFAULTS_SOURCE = "raftDerivedDefaults";

    /** Spring gRPC's server port (Boot 4). */
    static final String SPRING_GRPC_PORT = "spring.grpc.server.port";
    /** net.devh's class: when present, raft.server.mode=shared means its server, not Spring gRPC's. */
    private static final String NET_DEVH = "net.devh.boot.grpc.server.service.GrpcService";

    private static final Bindable<Map<String, String>> STRING_MAP = Bindable.mapOf(String.class, String.class);

    private final Log log;

    public RaftEnvironmentPostProcessor(DeferredLogFactory logFactory) {
        this.log = logFactory.getLog(RaftEnvironmentPostProcessor.class);
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (!environment.getProperty("raft.enabled", Boolean.class, true)) {
            return;
        }
        ClassPreloader.start(application == null ? null : application.getClassLoader());
        boolean peersConfigured = !Binder.get(environment)
                .bind("raft.peers", STRING_MAP)
                .orElse(Map.of())
                .isEmpty();
        Map<String, Object> seed =
                SeedEnvironment.map(name -> environment.getProperty(name), environment::getProperty, peersConfigured);
        if (!seed.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(SEED_SOURCE, seed));
            log.info("Mapped the seed environment (BROKER_ID, CLUSTER, NODE_ADDRESS, K8S) to " + seed.keySet()
                    + "; explicit raft.* properties take precedence");
        }
        Map<String, Object> defaults = derivedDefaults(
                environment, application == null ? getClass().getClassLoader() : application.getClassLoader());
        if (!defaults.isEmpty()) {
            environment.getPropertySources().addLast(new MapPropertySource(DEFAULTS_SOURCE, defaults));
        }
    }

    private Map<String, Object> derivedDefaults(ConfigurableEnvironment environment, ClassLoader classLoader) {
        Map<String, Object> defaults = new LinkedHashMap<>();
        // The server must accept what peers may send (a snapshot travels whole) and the peer
        // channels' keepalive pings (every 20 s while a call is open).
        String maxMessage = environment.getProperty("raft.max-message-size", "16MB");
        defaults.put("grpc.server.max-inbound-message-size", maxMessage);
        defaults.put("grpc.server.permit-keep-alive-time", "10s");
        String mode = environment.getProperty("raft.server.mode", "auto").trim();
        // With raft.server.mode=own the application's gRPC server, if any, keeps its own port;
        // Spring gRPC's server serves Raft only when asked to (mode shared, and net.devh absent).
        boolean ownServer = "own".equalsIgnoreCase(mode);
        boolean springGrpcShared = "shared".equalsIgnoreCase(mode) && !ClassUtils.isPresent(NET_DEVH, classLoader);
        if (springGrpcShared) {
            // Spring gRPC 1.0.x (Boot 4.0) names, then Boot 4.1's; each line ignores the other's.
            defaults.put("spring.grpc.server.max-inbound-message-size", maxMessage);
            defaults.put("spring.grpc.server.inbound.message.max-size", maxMessage);
            defaults.put("spring.grpc.server.keep-alive.permit-time", "10s");
            defaults.put("spring.grpc.server.keepalive.permit.time", "10s");
        }
        Integer ownPort = ownServer ? null : ownPeerPort(environment);
        if (ownPort != null && !environment.containsProperty("grpc.server.port")) {
            defaults.put("grpc.server.port", ownPort);
        }
        if (ownPort != null && springGrpcShared && !environment.containsProperty(SPRING_GRPC_PORT)) {
            defaults.put(SPRING_GRPC_PORT, ownPort);
        }
        return defaults;
    }

    /** The port of this node's own entry in raft.peers, or {@code null}. */
    private Integer ownPeerPort(ConfigurableEnvironment environment) {
        String nodeId = environment.getProperty("raft.node-id");
        if (nodeId == null) {
            return null;
        }
        String own = Binder.get(environment)
                .bind("raft.peers", STRING_MAP)
                .orElse(Map.of())
                .get(nodeId.trim());
        if (own == null) {
            return null;
        }
        try {
            return PeerAddress.parse(own).port();
        } catch (IllegalArgumentException e) {
            // Reported with the property's name by the validation at context startup.
            log.debug("Not deriving the gRPC server port from raft.peers." + nodeId + ": " + e.getMessage());
            return null;
        }
    }
}

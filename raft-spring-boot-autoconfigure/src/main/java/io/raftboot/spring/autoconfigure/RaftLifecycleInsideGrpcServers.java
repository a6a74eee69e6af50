package io.raftboot.spring.autoconfigure;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;

/**
 * Makes the node's lifecycle ({@link RaftLifecycle}) depend on the application's gRPC server
 * lifecycles (Spring gRPC's or net.devh's) when Raft shares that server
 * ({@code raft.server.mode=shared}).
 *
 * <p>Both libraries' {@code GrpcServerLifecycle} run at phase {@code Integer.MAX_VALUE}, above
 * {@link RaftLifecycle#PHASE}: by phase alone the loop would campaign before the server accepts
 * peers, and the server would stop before the node. Spring's {@code DefaultLifecycleProcessor}
 * starts a bean's dependencies before it and stops its dependents before it, whatever their
 * phases: with this dependency the server listens before the loop starts, and the node stops
 * (leadership handed over, loop closed) before the server does. (The handoff itself already runs on
 * {@code ContextClosedEvent}, before any lifecycle stops.)
 */
final class RaftLifecycleInsideGrpcServers implements BeanFactoryPostProcessor {

    /** Spring gRPC's server lifecycle, one bean per server (Netty, shaded Netty, in-process). */
    static final String SPRING_GRPC_SERVER_LIFECYCLE = "org.springframework.grpc.server.lifecycle.GrpcServerLifecycle";

    /** net.devh's server lifecycle (Boot 3), one bean per server factory. */
    static final String NET_DEVH_SERVER_LIFECYCLE = "net.devh.boot.grpc.server.serverfactory.GrpcServerLifecycle";

    /** The lifecycle class of the server Raft shares. */
    private final String lifecycleClass;

    RaftLifecycleInsideGrpcServers(String lifecycleClass) {
        this.lifecycleClass = lifecycleClass;
    }

    @Override
    public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
        Class<?> serverLifecycle;
        try {
            serverLifecycle = Class.forName(lifecycleClass, false, beanFactory.getBeanClassLoader());
        } catch (ClassNotFoundException e) {
            return;
        }
        String[] servers = beanFactory.getBeanNamesForType(serverLifecycle, true, false);
        if (servers.length == 0) {
            return;
        }
        for (String node : beanFactory.getBeanNamesForType(RaftLifecycle.class, true, false)) {
            BeanDefinition definition = beanFactory.getBeanDefinition(node);
            Set<String> dependsOn = new LinkedHashSet<>();
            if (definition.getDependsOn() != null) {
                dependsOn.addAll(Arrays.asList(definition.getDependsOn()));
            }
            dependsOn.addAll(Arrays.asList(servers));
            definition.setDependsOn(dependsOn.toArray(String[]::new));
        }
    }
}

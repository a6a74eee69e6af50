package io.raftboot.spring.observation;

import io.micrometer.observation.ObservationRegistry;
import io.raftboot.spring.config.RaftReplicatedConfig;
import io.raftboot.spring.leadership.RaftLeadershipService;
import java.util.function.Supplier;
import org.springframework.beans.factory.config.BeanPostProcessor;

/**
 * Wraps the starter's own {@link RaftLeadershipService} and {@link RaftReplicatedConfig} in their
 * observed decorators; an application's own beans of those interfaces are left alone.
 */
public class RaftObservationPostProcessor implements BeanPostProcessor {

    private final Supplier<ObservationRegistry> registry;

    /** @param registry resolved when the first Raft bean is made, not when this processor is */
    public RaftObservationPostProcessor(Supplier<ObservationRegistry> registry) {
        this.registry = registry;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        if (bean instanceof RaftLeadershipService leadership) {
            return new ObservedLeadershipService(leadership, registry.get());
        }
        if (bean instanceof RaftReplicatedConfig config) {
            return new ObservedReplicatedConfig(config, registry.get());
        }
        return bean;
    }
}

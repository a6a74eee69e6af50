package io.raftboot.spring.test;

import java.util.List;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.annotation.MergedAnnotations.SearchStrategy;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/** Registered in META-INF/spring.factories: finds {@link SingleNodeRaft} on a test class. */
class SingleNodeRaftContextCustomizerFactory implements ContextCustomizerFactory {

    @Override
    public ContextCustomizer createContextCustomizer(
            Class<?> testClass, List<ContextConfigurationAttributes> configAttributes) {
        boolean annotated =
                MergedAnnotations.from(testClass, SearchStrategy.TYPE_HIERARCHY).isPresent(SingleNodeRaft.class);
        return annotated ? new SingleNodeRaftContextCustomizer() : null;
    }
}

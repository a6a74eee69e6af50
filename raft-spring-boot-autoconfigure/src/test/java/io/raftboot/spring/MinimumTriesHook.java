package io.raftboot.spring;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropagationMode;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * {@code -Draft.jqwik.tries=N} runs every jqwik property of this module with N tries, or with its
 * own {@code @Property(tries = ...)} if that is more. {@code jqwik.tries.default} alone raises only
 * the properties that do not name their tries. Registered for all properties through
 * {@code META-INF/services/net.jqwik.api.lifecycle.LifecycleHook}.
 */
public class MinimumTriesHook implements AroundPropertyHook {

    public static final String PROPERTY = "raft.jqwik.tries";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String value = System.getProperty(PROPERTY);
        if (value != null && !value.isBlank()) {
            int minimum;
            try {
                minimum = Integer.parseInt(value.trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("-D" + PROPERTY + "=" + value + " is not a number of tries", e);
            }
            if (context.attributes().tries().orElse(0) < minimum) {
                context.attributes().setTries(minimum);
            }
        }
        return property.execute();
    }

    /** Registered globally (on the engine's root), it must reach every property below. */
    @Override
    public PropagationMode propagateTo() {
        return PropagationMode.ALL_DESCENDANTS;
    }

    /** Outermost, so the tries are set before the property starts. */
    @Override
    public int aroundPropertyProximity() {
        return -100;
    }
}

package io.raftboot.spring.annotation;

import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.core.Ordered;

/**
 * Proxies beans that use {@link LeaderOnly} (on the class or on methods) with the
 * {@link LeaderOnlyInterceptor}. Runs before Spring's {@code @Scheduled} processing, so scheduled
 * jobs are invoked through the proxy. Class-based proxies, so the bean keeps its type.
 */
public class LeaderOnlyBeanPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    public LeaderOnlyBeanPostProcessor(LeaderOnlyInterceptor interceptor) {
        this.advisor = new DefaultPointcutAdvisor(new LeaderOnlyPointcut(), interceptor);
        setBeforeExistingAdvisors(true);
        setProxyTargetClass(true);
        setOrder(Ordered.LOWEST_PRECEDENCE - 100);
    }
}

package io.raftboot.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import org.apache.raftbootfixture.FrameworkJobs;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.task.SimpleAsyncTaskExecutor;

public class FrameworkTypesTest {

    /** An application's interface whose method a framework class may implement. */
    public interface AppJobs {
        @LeaderOnly
        void run();
    }

    @Test
    void theJdksAndSpringsOwnTypesAreFrameworkTypes() {
        assertThat(FrameworkTypes.isFrameworkType(ArrayList.class)).isTrue();
        assertThat(FrameworkTypes.isFrameworkType(SimpleAsyncTaskExecutor.class))
                .isTrue();
    }

    @Test
    void theApplicationsTypesAndProxiesOfItsInterfacesAreLookedAt() {
        Object proxy =
                Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {AppJobs.class}, (p, m, a) -> null);
        assertThat(FrameworkTypes.isFrameworkType(FrameworkTypesTest.class)).isFalse();
        assertThat(FrameworkTypes.isFrameworkType(proxy.getClass())).isFalse();
    }

    @Test
    void aFrameworkClassImplementingAnApplicationsInterfaceIsLookedAt() {
        Class<?> type = FrameworkJobs.class;
        assertThat(FrameworkTypes.isFrameworkType(type)).isFalse();
        assertThat(AopUtils.canApply(new LeaderOnlyPointcut(), type))
                .as("the @LeaderOnly method of the application's interface is matched")
                .isTrue();
    }

    @Test
    void thePointcutSkipsFrameworkBeansAndStillMatchesAnnotatedApplicationClasses() {
        LeaderOnlyPointcut pointcut = new LeaderOnlyPointcut();
        assertThat(pointcut.getClassFilter().matches(SimpleAsyncTaskExecutor.class))
                .as("a framework bean's methods are not looked at")
                .isFalse();
        assertThat(AopUtils.canApply(pointcut, AnnotatedClass.class)).isTrue();
        assertThat(AopUtils.canApply(pointcut, AnnotatedMethod.class)).isTrue();
        assertThat(AopUtils.canApply(pointcut, FrameworkTypesTest.class)).isFalse();
    }

    @LeaderOnly
    static class AnnotatedClass {
        public void work() {}
    }

    static class AnnotatedMethod {
        @LeaderOnly
        void work() {}
    }
}

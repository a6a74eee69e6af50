package io.raftboot.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.ArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.raftbootfixture.PetClinicJobs;
import org.springframework.scheduling.raftbootfixture.FrameworkJobs;

/**
 * The pointcut and the role scan skip the JDK's and the frameworks' beans, and still find the
 * starter's annotations wherever an application puts them.
 */
public class FrameworkTypesTest {

    /** An application's interface whose method a class of another package implements. */
    public interface AppJobs {
        @LeaderOnly(role = "billing")
        void run();
    }

    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @LeaderOnly
    @interface Nightly {}

    static class MetaAnnotated {
        @Nightly
        public void sweep() {}
    }

    @LeaderOnly
    static class AnnotatedBase {}

    static class InheritsTheClassAnnotation extends AnnotatedBase {
        public void work() {}
    }

    static class Plain {
        public void work() {}
    }

    private final LeaderOnlyPointcut pointcut = new LeaderOnlyPointcut();

    private boolean proxied(Class<?> type) {
        return pointcut.getClassFilter().matches(type) && AopUtils.canApply(pointcut, type);
    }

    @Test
    void theJdksAndSpringsBeansAreNotLookedAt() {
        assertThat(FrameworkTypes.isFrameworkType(ArrayList.class)).isTrue();
        assertThat(FrameworkTypes.isFrameworkType(SimpleAsyncTaskExecutor.class))
                .isTrue();
        assertThat(pointcut.getClassFilter().matches(SimpleAsyncTaskExecutor.class))
                .isFalse();
        assertThat(pointcut.getClassFilter().matches(Plain.class)).isTrue();
        assertThat(proxied(Plain.class)).isFalse();
    }

    @Test
    void applicationCodeUnderOrgSpringframeworkIsMatched() {
        assertThat(proxied(PetClinicJobs.class)).isTrue();
    }

    @Test
    void aFrameworkClassImplementingAnApplicationsAnnotatedInterfaceIsMatchedAndItsRoleSeen() {
        assertThat(proxied(FrameworkJobs.class)).isTrue();
        AnnotatedRoles roles = new AnnotatedRoles();
        roles.postProcessAfterInitialization(new FrameworkJobs(), "frameworkJobs");
        assertThat(roles.names()).containsExactly("billing");
    }

    @Test
    void aMetaAnnotationAndASuperclassAnnotationAreFound() {
        assertThat(proxied(MetaAnnotated.class)).isTrue();
        assertThat(proxied(InheritsTheClassAnnotation.class)).isTrue();
    }
}

package io.raftboot.spring.annotation;

import io.raftboot.spring.leadership.LeadershipService;
import java.lang.reflect.Method;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.core.annotation.AnnotatedElementUtils;

/**
 * Proceeds with a {@link LeaderOnly} call only while this node is the leader with a valid lease,
 * or, for a {@link LeaderOnly#role() named role}, only while it holds that role.
 */
public class LeaderOnlyInterceptor implements MethodInterceptor {

    private static final Logger LOG = LoggerFactory.getLogger(LeaderOnlyInterceptor.class);

    private final Supplier<LeadershipService> leadership;
    private final Supplier<LeaderOnlySkips> skips;
    /** The role of each intercepted method: found once, as annotations do not change. */
    private final Map<MethodKey, String> roles = new ConcurrentHashMap<>();

    /** A method as called on one target class (a class-level role depends on the class). */
    private record MethodKey(Method method, Class<?> targetClass) {}

    /**
     * @param leadership resolved on the first call that finds it, then kept: resolving the bean
     *     through an {@code ObjectProvider} on every call was the top item of an idle node's
     *     profile with a {@code @Scheduled(fixedRate = 100)} job
     */
    public LeaderOnlyInterceptor(Supplier<LeadershipService> leadership, Supplier<LeaderOnlySkips> skips) {
        this.leadership = new ResolvedOnce<>(leadership);
        this.skips = new ResolvedOnce<>(skips);
    }

    /** A supplier of a singleton bean that may not exist yet: asks until it gets one, then keeps it. */
    private static final class ResolvedOnce<T> implements Supplier<T> {

        private final Supplier<T> source;
        private volatile T value;

        ResolvedOnce(Supplier<T> source) {
            this.source = source;
        }

        @Override
        public T get() {
            T v = value;
            if (v == null) {
                v = source.get();
                value = v;
            }
            return v;
        }
    }

    @Override
    public Object invoke(MethodInvocation invocation) throws Throwable {
        LeadershipService service = leadership.get();
        String role = roleOf(invocation);
        if (service != null && service.isLeader(role)) {
            return invocation.proceed();
        }
        LeaderOnlySkips counter = skips.get();
        if (counter != null) {
            counter.skipped(invocation.getMethod());
        }
        LOG.debug(
                "Skipped @LeaderOnly {}.{}: this node {}",
                invocation.getMethod().getDeclaringClass().getSimpleName(),
                invocation.getMethod().getName(),
                role.isEmpty() ? "is not the leader" : "does not hold role '" + role + "'");
        return emptyValue(invocation.getMethod().getReturnType());
    }

    private String roleOf(MethodInvocation invocation) {
        Class<?> target = invocation.getThis() == null
                ? invocation.getMethod().getDeclaringClass()
                : AopUtils.getTargetClass(invocation.getThis());
        return roles.computeIfAbsent(
                new MethodKey(invocation.getMethod(), target), LeaderOnlyInterceptor::requiredRole);
    }

    /** The role a call needs: the method's own {@link LeaderOnly} wins over its class's. */
    private static String requiredRole(MethodKey key) {
        Method specific = AopUtils.getMostSpecificMethod(key.method(), key.targetClass());
        LeaderOnly onMethod = AnnotatedElementUtils.findMergedAnnotation(specific, LeaderOnly.class);
        if (onMethod == null) {
            onMethod = AnnotatedElementUtils.findMergedAnnotation(key.method(), LeaderOnly.class);
        }
        if (onMethod != null) {
            return onMethod.role();
        }
        LeaderOnly onClass = AnnotatedElementUtils.findMergedAnnotation(key.targetClass(), LeaderOnly.class);
        return onClass == null ? "" : onClass.role();
    }

    /** What a skipped call returns: "nothing" of the method's return type. */
    static Object emptyValue(Class<?> type) {
        if (type == void.class || !type.isPrimitive() && !isContainer(type)) {
            return null;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == char.class) {
            return '\0';
        }
        if (type.isPrimitive()) {
            return switch (type.getName()) {
                case "byte" -> (byte) 0;
                case "short" -> (short) 0;
                case "int" -> 0;
                case "long" -> 0L;
                case "float" -> 0f;
                default -> 0d;
            };
        }
        if (type == Optional.class) {
            return Optional.empty();
        }
        if (type == OptionalInt.class) {
            return OptionalInt.empty();
        }
        if (type == OptionalLong.class) {
            return OptionalLong.empty();
        }
        if (type == OptionalDouble.class) {
            return OptionalDouble.empty();
        }
        if (type == Stream.class) {
            return Stream.empty();
        }
        if (type.isAssignableFrom(CompletableFuture.class)) {
            return CompletableFuture.completedFuture(null);
        }
        if (type.isAssignableFrom(TreeSet.class) && SortedSet.class.isAssignableFrom(type)) {
            return new TreeSet<>();
        }
        if (type.isAssignableFrom(TreeMap.class) && SortedMap.class.isAssignableFrom(type)) {
            return new TreeMap<>();
        }
        if (type.isAssignableFrom(List.class)) {
            return List.of();
        }
        if (type.isAssignableFrom(Set.class)) {
            return Set.of();
        }
        if (type.isAssignableFrom(Map.class)) {
            return Map.of();
        }
        return null;
    }

    private static boolean isContainer(Class<?> type) {
        return type == Optional.class
                || type == OptionalInt.class
                || type == OptionalLong.class
                || type == OptionalDouble.class
                || type == Stream.class
                || CompletionStage.class.isAssignableFrom(type)
                || Collection.class.isAssignableFrom(type)
                || Map.class.isAssignableFrom(type);
    }
}

package io.raftboot.spring.annotation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A skipped {@code @LeaderOnly} call returns "nothing" of its return type. */
class LeaderOnlyInterceptorTest {

    @Test
    void skippedCallsReturnAnEmptyValueOfTheirType() {
        assertThat(LeaderOnlyInterceptor.emptyValue(void.class)).isNull();
        assertThat(LeaderOnlyInterceptor.emptyValue(String.class)).isNull();
        assertThat(LeaderOnlyInterceptor.emptyValue(boolean.class)).isEqualTo(false);
        assertThat(LeaderOnlyInterceptor.emptyValue(int.class)).isEqualTo(0);
        assertThat(LeaderOnlyInterceptor.emptyValue(long.class)).isEqualTo(0L);
        assertThat(LeaderOnlyInterceptor.emptyValue(double.class)).isEqualTo(0d);
        assertThat(LeaderOnlyInterceptor.emptyValue(Optional.class)).isEqualTo(Optional.empty());
        assertThat(LeaderOnlyInterceptor.emptyValue(OptionalInt.class)).isEqualTo(OptionalInt.empty());
        assertThat(LeaderOnlyInterceptor.emptyValue(List.class)).isEqualTo(List.of());
        assertThat(LeaderOnlyInterceptor.emptyValue(Set.class)).isEqualTo(Set.of());
        assertThat(LeaderOnlyInterceptor.emptyValue(Map.class)).isEqualTo(Map.of());
        assertThat(LeaderOnlyInterceptor.emptyValue(SortedMap.class)).isInstanceOf(SortedMap.class);
        assertThat((CompletableFuture<?>) LeaderOnlyInterceptor.emptyValue(CompletableFuture.class))
                .isCompletedWithValue(null);
    }
}

package io.raftboot.spring.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FuzzDurationTest {

    @Test
    void readsJazzerDurationsAndBareSeconds() {
        assertThat(FuzzDuration.seconds("30s")).isEqualTo(30);
        assertThat(FuzzDuration.seconds("10m")).isEqualTo(600);
        assertThat(FuzzDuration.seconds("1h 30m")).isEqualTo(5400);
        assertThat(FuzzDuration.seconds(" 2H5S ")).isEqualTo(7205);
        assertThat(FuzzDuration.seconds("45")).isEqualTo(45);
    }

    @Test
    void refusesWhatIsNotAPositiveDurationNamingTheProperty() {
        for (String bad : new String[] {"", "0s", "ten minutes", "10x", "5m and more", "-5m"}) {
            assertThatThrownBy(() -> FuzzDuration.seconds(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("raft.fuzz.duration");
        }
    }
}

package io.raftboot.spring.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.raftboot.core.config.ConfigResult;
import org.junit.jupiter.api.Test;

class ConfigResultCodecTest {

    @Test
    void resultsRoundTripIncludingUnicodeKeysAndMissingKeys() {
        ConfigResult applied = new ConfigResult(ConfigResult.Outcome.APPLIED, "clé/😀", 3, 4, 17);
        assertThat(ConfigResultCodec.decode(ConfigResultCodec.encode(applied))).isEqualTo(applied);
        ConfigResult malformed = new ConfigResult(ConfigResult.Outcome.MALFORMED, null, 0, 0, 17);
        assertThat(ConfigResultCodec.decode(ConfigResultCodec.encode(malformed))).isEqualTo(malformed);
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> ConfigResultCodec.decode(new byte[] {0, 3, 'B', 'A', 'D'}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
    }
}

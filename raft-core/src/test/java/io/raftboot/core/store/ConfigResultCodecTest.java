package io.raftboot.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class ConfigResultCodecTest {

    @Test
    void resultsRoundTripIncludingUnicodeKeysAndMissingKeys() {
        ConfigResult applied = new ConfigResult(ConfigResult.Outcome.APPLIED, "clé/😀", 3, 4, 17, 42);
        assertThat(ConfigResultCodec.decode(ConfigResultCodec.encode(applied))).isEqualTo(applied);
        ConfigResult malformed = new ConfigResult(ConfigResult.Outcome.MALFORMED, null, 0, 0, 17, 0);
        assertThat(ConfigResultCodec.decode(ConfigResultCodec.encode(malformed)))
                .isEqualTo(malformed);
    }

    @Test
    void aResultOfAnEarlierReleaseWithoutModIndexDecodesWithModIndexZero() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeUTF("APPLIED");
            out.writeUTF("k");
            out.writeLong(1);
            out.writeLong(2);
            out.writeLong(9);
        }
        assertThat(ConfigResultCodec.decode(bytes.toByteArray()))
                .isEqualTo(new ConfigResult(ConfigResult.Outcome.APPLIED, "k", 1, 2, 9, 0));
    }

    @Test
    void garbageIsRefused() {
        assertThatThrownBy(() -> ConfigResultCodec.decode(new byte[] {0, 3, 'B', 'A', 'D'}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("malformed");
    }
}

package io.raftboot.core.store;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.raftboot.testsupport.property.Gen;
import io.raftboot.testsupport.property.PropertyLoop;
import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ConfigCommandCodecTest {

    @Test
    void everyCommandSurvivesARoundTrip() {
        for (ConfigCommand c : new ConfigCommand[] {
            new ConfigCommand.Put("a.b", "v".getBytes(UTF_8)),
            new ConfigCommand.Put("ключ", new byte[0]),
            new ConfigCommand.Delete("x"),
            new ConfigCommand.CompareAndSet("k", 0, new byte[] {0, 1, 2}),
            new ConfigCommand.CompareAndSet("k", Long.MAX_VALUE, null),
            new ConfigCommand.Put("a.b", "v".getBytes(UTF_8), 10_000),
            new ConfigCommand.Put("k", new byte[0], Integer.MAX_VALUE),
            new ConfigCommand.CompareAndSet("k", 0, new byte[] {7}, 1),
            new ConfigCommand.CompareAndSet("k", 4, null, 3)
        }) {
            assertThat(ConfigCommandCodec.decode(ConfigCommandCodec.encode(c))).isEqualTo(c);
        }
    }

    @Test
    void encodingStartsWithTheFormatVersion() {
        assertThat(ConfigCommandCodec.encode(new ConfigCommand.Delete("x"))[0])
                .isEqualTo(ConfigCommandCodec.FORMAT_VERSION);
    }

    @Test
    void rejectsAnUnknownFormatVersionWithAClearMessage() {
        byte[] bytes = ConfigCommandCodec.encode(new ConfigCommand.Delete("x"));
        bytes[0] = 3;
        assertThatThrownBy(() -> ConfigCommandCodec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("format version 3");
    }

    @Test
    void aCommandWithoutAKeyLimitIsWrittenInTheOriginalFormatAndOneWithALimitInFormatTwo() {
        byte[] unlimited = ConfigCommandCodec.encode(new ConfigCommand.Put("k", new byte[] {9}));
        byte[] limited = ConfigCommandCodec.encode(new ConfigCommand.Put("k", new byte[] {9}, 258));

        assertThat(unlimited).containsExactly(1, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 1, 9);
        assertThat(limited).containsExactly(2, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 1, 9, 0, 0, 1, 2);
        assertThat(ConfigCommandCodec.encode(new ConfigCommand.Delete("k"))[0])
                .isEqualTo(ConfigCommandCodec.FORMAT_VERSION);
    }

    @Test
    void putsAndCompareAndSetsOfEarlierReleasesDecodeWithoutAKeyLimit() {
        // Bytes as release 0.1 wrote them (format 1), e.g. in a log written before the upgrade.
        byte[] oldPut = {1, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 2, 'v', 'w'};
        byte[] oldCas = {1, 3, 0, 0, 0, 1, 'k', 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 'v'};

        ConfigCommand put = ConfigCommandCodec.decode(oldPut);
        ConfigCommand cas = ConfigCommandCodec.decode(oldCas);

        assertThat(put).isEqualTo(new ConfigCommand.Put("k", "vw".getBytes(UTF_8), ConfigCommand.UNLIMITED));
        assertThat(((ConfigCommand.Put) put).maxKeys()).isZero();
        assertThat(cas)
                .isEqualTo(new ConfigCommand.CompareAndSet("k", 0, "v".getBytes(UTF_8), ConfigCommand.UNLIMITED));
        assertThat(ConfigCommandCodec.encode(put)).isEqualTo(oldPut);
        assertThat(ConfigCommandCodec.encode(cas)).isEqualTo(oldCas);
    }

    @Test
    void formatTwoRejectsAMissingOrNonPositiveKeyLimitAndADelete() {
        byte[] putWithoutLimit = {2, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 0};
        byte[] putWithZeroLimit = {2, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] putWithNegativeLimit = {2, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 0, -1, -1, -1, -1};
        byte[] deleteWithLimit = {2, 2, 0, 0, 0, 1, 'k', 0, 0, 0, 5};

        assertThatThrownBy(() -> ConfigCommandCodec.decode(putWithoutLimit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key limit");
        assertThatThrownBy(() -> ConfigCommandCodec.decode(putWithZeroLimit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key limit must be >= 1, got 0");
        assertThatThrownBy(() -> ConfigCommandCodec.decode(putWithNegativeLimit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> ConfigCommandCodec.decode(deleteWithLimit))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delete has no key limit");
    }

    @Test
    void aNegativeKeyLimitIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new ConfigCommand.Put("k", new byte[0], -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxKeys");
        assertThatThrownBy(() -> new ConfigCommand.CompareAndSet("k", 0, new byte[0], -5))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyRandomCommandSurvivesARoundTrip() {
        PropertyLoop.forAll(500, r -> {
            ConfigCommand command = command(r);
            assertThat(ConfigCommandCodec.decode(ConfigCommandCodec.encode(command)))
                    .as("%s", command)
                    .isEqualTo(command);
        });
    }

    @Test
    void rejectsAHugeLengthFieldWithoutAllocatingIt() {
        byte[] bytes = {1, 1, 0x7f, -1, -1, -1, 'a'};
        assertThatThrownBy(() -> ConfigCommandCodec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("only 1 bytes left");
    }

    @Test
    void rejectsTrailingBytesTruncationAndInvalidUtf8() {
        byte[] good = ConfigCommandCodec.encode(new ConfigCommand.Put("key", new byte[] {1, 2}));
        byte[] trailing = Arrays.copyOf(good, good.length + 1);
        byte[] truncated = Arrays.copyOf(good, good.length - 1);
        byte[] badUtf8 = {1, 2, 0, 0, 0, 1, (byte) 0xC3};
        byte[] casDeleteOfAbsent = {1, 3, 0, 0, 0, 1, 'k', 0, 0, 0, 0, 0, 0, 0, 0, 0};
        for (byte[] bad : new byte[][] {trailing, truncated, badUtf8, casDeleteOfAbsent, {}, {1}, null}) {
            assertThatThrownBy(() -> ConfigCommandCodec.decode(bad)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void randomBytesNeverThrowAnythingButIllegalArgumentException() {
        PropertyLoop.forAll(2000, r -> {
            byte[] garbage = Gen.bytes(r, 64);
            // With a valid header half of the time, so the garbage reaches the type-specific parsing.
            byte[] input = garbage;
            if (r.nextBoolean()) {
                input = new byte[garbage.length + 2];
                input[0] = r.nextBoolean()
                        ? ConfigCommandCodec.FORMAT_VERSION_WITH_KEY_LIMIT
                        : ConfigCommandCodec.FORMAT_VERSION;
                input[1] = (byte) (1 + Math.floorMod(Gen.anyByte(r), 3));
                System.arraycopy(garbage, 0, input, 2, garbage.length);
            }
            assertDecodesOrRejectsWithIllegalArgument(input);
        });
    }

    @Test
    void mutatedValidCommandsNeverThrowAnythingButIllegalArgumentException() {
        PropertyLoop.forAll(2000, r -> {
            byte[] bytes = ConfigCommandCodec.encode(command(r));
            bytes[Math.floorMod(Gen.anyInt(r), bytes.length)] = Gen.anyByte(r);
            assertDecodesOrRejectsWithIllegalArgument(bytes);
        });
    }

    @Test
    void storeApplyNeverThrowsOnGarbage() {
        PropertyLoop.forAll(200, r -> {
            ConfigStore store = new ConfigStore();
            ConfigResult result = store.apply(1, Gen.bytes(r, 64));
            assertThat(result.configVersion()).isEqualTo(result.applied() ? 1 : 0);
        });
    }

    private static void assertDecodesOrRejectsWithIllegalArgument(byte[] bytes) {
        Throwable t = catchThrowable(() -> ConfigCommandCodec.decode(bytes));
        if (t != null) {
            assertThat(t).as("decoding %s", Arrays.toString(bytes)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** A Put, Delete or CompareAndSet of 1-8 letter keys, values of up to 8 bytes, no key limit or any. */
    private static ConfigCommand command(SplittableRandom r) {
        String key = Gen.alpha(r, 1, 8);
        byte[] value = Gen.bytes(r, 8);
        int limit = r.nextBoolean() ? ConfigCommand.UNLIMITED : Gen.intBetween(r, 1, Integer.MAX_VALUE);
        return switch (r.nextInt(3)) {
            case 0 -> new ConfigCommand.Put(key, value, limit);
            case 1 -> new ConfigCommand.Delete(key);
            default -> new ConfigCommand.CompareAndSet(key, 3, value, limit);
        };
    }
}

package io.raftboot.core.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
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
                new ConfigCommand.CompareAndSet("k", 4, null, 3)}) {
            assertThat(ConfigCommandCodec.decode(ConfigCommandCodec.encode(c))).isEqualTo(c);
        }
    }

    @Test
    void encodingStartsWithTheFormatVersion() {
        assertThat(ConfigCommandCodec.encode(new ConfigCommand.Delete("x"))[0]).isEqualTo(ConfigCommandCodec.FORMAT_VERSION);
    }

    @Test
    void rejectsAnUnknownFormatVersionWithAClearMessage() {
        byte[] bytes = ConfigCommandCodec.encode(new ConfigCommand.Delete("x"));
        bytes[0] = 3;
        assertThatThrownBy(() -> ConfigCommandCodec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format version 3");
    }

    @Test
    void aCommandWithoutAKeyLimitIsWrittenInTheOriginalFormatAndOneWithALimitInFormatTwo() {
        byte[] unlimited = ConfigCommandCodec.encode(new ConfigCommand.Put("k", new byte[] {9}));
        byte[] limited = ConfigCommandCodec.encode(new ConfigCommand.Put("k", new byte[] {9}, 258));

        assertThat(unlimited).containsExactly(1, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 1, 9);
        assertThat(limited).containsExactly(2, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 1, 9, 0, 0, 1, 2);
        assertThat(ConfigCommandCodec.encode(new ConfigCommand.Delete("k"))[0]).isEqualTo(ConfigCommandCodec.FORMAT_VERSION);
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
        assertThat(cas).isEqualTo(new ConfigCommand.CompareAndSet("k", 0, "v".getBytes(UTF_8), ConfigCommand.UNLIMITED));
        assertThat(ConfigCommandCodec.encode(put)).isEqualTo(oldPut);
        assertThat(ConfigCommandCodec.encode(cas)).isEqualTo(oldCas);
    }

    @Test
    void formatTwoRejectsAMissingOrNonPositiveKeyLimitAndADelete() {
        byte[] putWithoutLimit = {2, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 0};
        byte[] putWithZeroLimit = {2, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] putWithNegativeLimit = {2, 1, 0, 0, 0, 1, 'k', 0, 0, 0, 0, -1, -1, -1, -1};
        byte[] deleteWithLimit = {2, 2, 0, 0, 0, 1, 'k', 0, 0, 0, 5};

        assertThatThrownBy(() -> ConfigCommandCodec.decode(putWithoutLimit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key limit");
        assertThatThrownBy(() -> ConfigCommandCodec.decode(putWithZeroLimit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key limit must be >= 1, got 0");
        assertThatThrownBy(() -> ConfigCommandCodec.decode(putWithNegativeLimit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("got -1");
        assertThatThrownBy(() -> ConfigCommandCodec.decode(deleteWithLimit)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("delete has no key limit");
    }

    @Test
    void aNegativeKeyLimitIsRefusedAtConstruction() {
        assertThatThrownBy(() -> new ConfigCommand.Put("k", new byte[0], -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxKeys");
        assertThatThrownBy(() -> new ConfigCommand.CompareAndSet("k", 0, new byte[0], -5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Property(tries = 500)
    void everyRandomCommandSurvivesARoundTrip(@ForAll("commands") ConfigCommand command) {
        assertThat(ConfigCommandCodec.decode(ConfigCommandCodec.encode(command))).isEqualTo(command);
    }

    @Test
    void rejectsAHugeLengthFieldWithoutAllocatingIt() {
        byte[] bytes = {1, 1, 0x7f, -1, -1, -1, 'a'};
        assertThatThrownBy(() -> ConfigCommandCodec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("only 1 bytes left");
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

    @Property(tries = 2000)
    void randomBytesNeverThrowAnythingButIllegalArgumentException(@ForAll @Size(max = 64) byte[] garbage,
                                                                  @ForAll boolean validHeader, @ForAll boolean formatTwo,
                                                                  @ForAll byte type) {
        // With a valid header half of the time, so the garbage reaches the type-specific parsing.
        byte[] input = garbage;
        if (validHeader) {
            input = new byte[garbage.length + 2];
            input[0] = formatTwo ? ConfigCommandCodec.FORMAT_VERSION_WITH_KEY_LIMIT : ConfigCommandCodec.FORMAT_VERSION;
            input[1] = (byte) (1 + Math.floorMod(type, 3));
            System.arraycopy(garbage, 0, input, 2, garbage.length);
        }
        byte[] bytes = input;
        Throwable t = catchThrowable(() -> ConfigCommandCodec.decode(bytes));
        if (t != null) {
            assertThat(t).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 2000)
    void mutatedValidCommandsNeverThrowAnythingButIllegalArgumentException(
            @ForAll("commands") ConfigCommand command, @ForAll int position, @ForAll byte replacement) {
        byte[] bytes = ConfigCommandCodec.encode(command);
        bytes[Math.floorMod(position, bytes.length)] = replacement;
        Throwable t = catchThrowable(() -> ConfigCommandCodec.decode(bytes));
        if (t != null) {
            assertThat(t).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Property(tries = 200)
    void storeApplyNeverThrowsOnGarbage(@ForAll @Size(max = 64) byte[] garbage) {
        ConfigStore store = new ConfigStore();
        ConfigResult r = store.apply(1, garbage);
        assertThat(r.configVersion()).isEqualTo(r.applied() ? 1 : 0);
    }

    @Provide
    Arbitrary<ConfigCommand> commands() {
        Arbitrary<String> keys = Arbitraries.strings().ofMinLength(1).ofMaxLength(8).alpha();
        Arbitrary<byte[]> values = Arbitraries.bytes().array(byte[].class).ofMaxSize(8);
        Arbitrary<Integer> limits = Arbitraries.oneOf(Arbitraries.just(ConfigCommand.UNLIMITED), Arbitraries.integers().between(1, Integer.MAX_VALUE));
        return Arbitraries.oneOf(
                keys.flatMap(k -> values.flatMap(v -> limits.map(n -> (ConfigCommand) new ConfigCommand.Put(k, v, n)))),
                keys.map(ConfigCommand.Delete::new),
                keys.flatMap(k -> values.flatMap(v -> limits.map(n -> (ConfigCommand) new ConfigCommand.CompareAndSet(k, 3, v, n)))));
    }
}

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
                new ConfigCommand.CompareAndSet("k", Long.MAX_VALUE, null)}) {
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
        bytes[0] = 2;
        assertThatThrownBy(() -> ConfigCommandCodec.decode(bytes))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("format version 2");
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
                                                                  @ForAll boolean validHeader, @ForAll byte type) {
        // With a valid header half of the time, so the garbage reaches the type-specific parsing.
        byte[] input = garbage;
        if (validHeader) {
            input = new byte[garbage.length + 2];
            input[0] = ConfigCommandCodec.FORMAT_VERSION;
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
        return Arbitraries.oneOf(
                keys.flatMap(k -> values.map(v -> (ConfigCommand) new ConfigCommand.Put(k, v))),
                keys.map(ConfigCommand.Delete::new),
                keys.flatMap(k -> values.map(v -> (ConfigCommand) new ConfigCommand.CompareAndSet(k, 3, v))));
    }
}

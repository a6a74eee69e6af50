package io.raftboot.testsupport.property;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Small random generators for {@link PropertyLoop} tries. Each mixes in the edge cases a
 * shrinking property library would favour (empty and maximal sizes, range ends, zero, extreme
 * values, non-ASCII and supplementary characters) with a fixed share, so they are met in every
 * run of a few hundred tries, not by luck.
 */
public final class Gen {

    /** Share of draws that pick an edge case. */
    private static final double EDGE = 0.15;

    private Gen() {}

    public static boolean edge(SplittableRandom r) {
        return r.nextDouble() < EDGE;
    }

    /** An int in [min, max], its ends and 0 (if inside) favoured. */
    public static int intBetween(SplittableRandom r, int min, int max) {
        if (edge(r)) {
            int pick = r.nextInt(3);
            return pick == 0 ? min : pick == 1 ? max : (min <= 0 && 0 <= max ? 0 : min);
        }
        return (int) longBetween(r, min, max);
    }

    /** A long in [min, max] (uniform). */
    public static long longBetween(SplittableRandom r, long min, long max) {
        return max == Long.MAX_VALUE && min == Long.MIN_VALUE ? r.nextLong() : min + r.nextLong(max - min + 1);
    }

    /** Any int, with 0, ±1 and the extremes favoured. */
    public static int anyInt(SplittableRandom r) {
        return edge(r) ? oneOf(r, 0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE) : r.nextInt();
    }

    /** Any byte, with 0, ±1 and the extremes favoured. */
    public static byte anyByte(SplittableRandom r) {
        return edge(r)
                ? oneOf(r, (byte) 0, (byte) 1, (byte) -1, Byte.MIN_VALUE, Byte.MAX_VALUE)
                : (byte) r.nextInt(256);
    }

    /** A double in [0, 1], both ends favoured. */
    public static double unit(SplittableRandom r) {
        return edge(r) ? (r.nextBoolean() ? 0.0 : 1.0) : r.nextDouble();
    }

    /** 0 to {@code maxSize} random bytes; empty, maximal, all-zero and all-ones arrays favoured. */
    public static byte[] bytes(SplittableRandom r, int maxSize) {
        if (edge(r)) {
            return switch (r.nextInt(4)) {
                case 0 -> new byte[0];
                case 1 -> filled(maxSize, (byte) 0);
                case 2 -> filled(maxSize, (byte) -1);
                default -> random(r, maxSize);
            };
        }
        return random(r, r.nextInt(maxSize + 1));
    }

    /** {@code minLength} to {@code maxLength} ASCII letters. */
    public static String alpha(SplittableRandom r, int minLength, int maxLength) {
        int length = intBetween(r, minLength, maxLength);
        StringBuilder s = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            int c = r.nextInt(52);
            s.append((char) (c < 26 ? 'a' + c : 'A' + c - 26));
        }
        return s.toString();
    }

    /**
     * 0 to {@code maxChars} characters (UTF-16 units) of any kind: ASCII, control characters,
     * NUL, whitespace, Latin-1, any BMP character but a lone surrogate, and supplementary code
     * points (as surrogate pairs); the empty string favoured.
     */
    public static String string(SplittableRandom r, int maxChars) {
        if (edge(r) && r.nextBoolean()) {
            return "";
        }
        int length = r.nextInt(maxChars + 1);
        StringBuilder s = new StringBuilder(length);
        while (s.length() < length) {
            int cp = switch (r.nextInt(6)) {
                case 0 -> 0x20 + r.nextInt(0x5F);
                case 1 ->
                    oneOf(
                            r,
                            0,
                            (int) '\t',
                            (int) '\n',
                            (int) '\r',
                            (int) ' ',
                            0x7F,
                            0xA0,
                            0x2028,
                            0xFEFF,
                            0xFFFD,
                            0xFFFF);
                case 2 -> 0x80 + r.nextInt(0x180);
                case 3 -> r.nextInt(0x20);
                case 4 -> 0x10000 + r.nextInt(0x10FFFF - 0x10000 + 1);
                default -> bmpNonSurrogate(r);
            };
            if (Character.charCount(cp) == 2 && s.length() + 2 > length) {
                cp = 'x';
            }
            s.appendCodePoint(cp);
        }
        return s.toString();
    }

    @SafeVarargs
    public static <T> T oneOf(SplittableRandom r, T... choices) {
        return choices[r.nextInt(choices.length)];
    }

    public static <T> T oneOf(SplittableRandom r, List<T> choices) {
        return choices.get(r.nextInt(choices.size()));
    }

    /** {@code null} with probability {@code pNull}, else a value: the counterpart of {@code injectNull}. */
    public static <T> T orNull(SplittableRandom r, double pNull, Supplier<T> value) {
        return r.nextDouble() < pNull ? null : value.get();
    }

    /** An index into {@code weights}, each chosen in proportion to its weight. */
    public static int weighted(SplittableRandom r, int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int pick = r.nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
        throw new AssertionError();
    }

    private static int bmpNonSurrogate(SplittableRandom r) {
        int c;
        do {
            c = r.nextInt(0x10000);
        } while (Character.isSurrogate((char) c));
        return c;
    }

    private static byte[] random(SplittableRandom r, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) r.nextInt(256);
        }
        return b;
    }

    private static byte[] filled(int size, byte value) {
        byte[] b = new byte[size];
        java.util.Arrays.fill(b, value);
        return b;
    }
}

package org.jqmail.io.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Inputs for a fuzz target, drawn from a seeded {@link Random}: a seed of the corpus with up to
 * eight mutations, two seeds spliced, a bare seed, or random bytes (in the ratio 12 : 2 : 1 : 2).
 */
public final class Mutations {
    /** Bytes that parsers of this project treat specially; every target's dictionary has them. */
    static final List<byte[]> COMMON = List.of(b("\r\n"), b("\n"), b("\r"), b("\0"), b(":"), b(","), b("@"),
            b("<"), b(">"), b(" "), b("\t"), b("\\"), b("\""), b("."), b("4294967296"), b("2147483648"),
            b("99999999999999999999"), b("-1"), b("0"), new byte[] {(byte) 0xff}, new byte[] {(byte) 0x80});

    private enum Kind { FLIP, SET, INSERT, DELETE, TOKEN, REPEAT, TRUNCATE }

    /** One mutation: what, where (scaled to the input), a byte or token number, a length. */
    private record Op(Kind kind, int where, int what, int len) {
    }

    private final List<byte[]> seeds;
    private final List<byte[]> tokens;
    private final int max;
    private final Random random;

    /** Inputs of at most {@code max} bytes from {@code seeds} and {@code dictionary}. */
    Mutations(List<byte[]> seeds, List<byte[]> dictionary, int max, Random random) {
        this.seeds = List.copyOf(seeds);
        this.tokens = new ArrayList<>(dictionary);
        this.tokens.addAll(COMMON);
        this.max = max;
        this.random = random;
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The next input. */
    byte[] next() {
        int pick = random.nextInt(17);
        if (seeds.isEmpty() || pick >= 15) {
            byte[] b = new byte[random.nextInt(Math.min(max, 512) + 1)];
            random.nextBytes(b);
            return b;
        }
        if (pick == 0) {
            return seeds.get(random.nextInt(seeds.size())).clone();
        }
        if (pick <= 2) {
            return splice(seed(), seed(), random.nextInt(1 << 16), max);
        }
        List<Op> ops = new ArrayList<>();
        for (int n = random.nextInt(9); n > 0; n--) {
            ops.add(new Op(Kind.values()[random.nextInt(Kind.values().length)], random.nextInt((1 << 16) + 1),
                    random.nextInt((1 << 16) + 1), 1 + random.nextInt(1 << 12)));
        }
        return apply(seed(), ops, tokens, max);
    }

    private byte[] seed() {
        return seeds.get(random.nextInt(seeds.size()));
    }

    private static byte[] splice(byte[] x, byte[] y, int at, int max) {
        int i = x.length == 0 ? 0 : at % (x.length + 1);
        int j = y.length == 0 ? 0 : at % (y.length + 1);
        byte[] out = new byte[Math.min(max, i + y.length - j)];
        System.arraycopy(x, 0, out, 0, Math.min(i, out.length));
        System.arraycopy(y, j, out, i, out.length - Math.min(i, out.length));
        return out;
    }

    private static byte[] apply(byte[] seed, List<Op> ops, List<byte[]> tokens, int max) {
        byte[] b = seed.clone();
        for (Op o : ops) {
            b = apply(b, o, tokens);
            if (b.length > max) {
                b = java.util.Arrays.copyOf(b, max);
            }
        }
        return b;
    }

    private static byte[] apply(byte[] b, Op o, List<byte[]> tokens) {
        int at = b.length == 0 ? 0 : o.where() % (b.length + 1);
        switch (o.kind()) {
            case FLIP:
                if (at < b.length) {
                    b[at] ^= (byte) (1 << (o.what() & 7));
                }
                return b;
            case SET:
                if (at < b.length) {
                    b[at] = (byte) o.what();
                }
                return b;
            case INSERT:
                return insert(b, at, new byte[] {(byte) o.what()}, 1);
            case DELETE:
                return delete(b, at, o.len());
            case TOKEN:
                return insert(b, at, tokens.get(o.what() % tokens.size()), 1);
            case REPEAT: {
                int n = Math.min(o.len(), b.length - at);
                byte[] piece = n > 0 ? java.util.Arrays.copyOfRange(b, at, at + n) : new byte[] {(byte) o.what()};
                return insert(b, at, piece, 1 + o.what() % 64);
            }
            case TRUNCATE:
            default:
                return java.util.Arrays.copyOf(b, at);
        }
    }

    private static byte[] insert(byte[] b, int at, byte[] piece, int times) {
        byte[] out = new byte[b.length + piece.length * times];
        System.arraycopy(b, 0, out, 0, at);
        for (int k = 0; k < times; k++) {
            System.arraycopy(piece, 0, out, at + k * piece.length, piece.length);
        }
        System.arraycopy(b, at, out, at + piece.length * times, b.length - at);
        return out;
    }

    private static byte[] delete(byte[] b, int at, int len) {
        int n = Math.min(len, b.length - at);
        byte[] out = new byte[b.length - n];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(b, at + n, out, at, b.length - at - n);
        return out;
    }
}

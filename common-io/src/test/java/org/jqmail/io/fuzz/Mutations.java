package org.jqmail.io.fuzz;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

/**
 * Inputs for a fuzz target, as jqwik arbitraries that shrink: a seed with a list of mutations
 * (which shrinks towards the bare seed and fewer, smaller mutations), the seeds spliced, and
 * random bytes.
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

    private Mutations() {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Inputs of at most {@code max} bytes from {@code seeds} and {@code dictionary}. */
    static Arbitrary<byte[]> of(List<byte[]> seeds, List<byte[]> dictionary, int max) {
        List<byte[]> tokens = new ArrayList<>(dictionary);
        tokens.addAll(COMMON);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(Math.min(max, 512));
        if (seeds.isEmpty()) {
            return random;
        }
        Arbitrary<Integer> seed = Arbitraries.integers().between(0, seeds.size() - 1);
        Arbitrary<Op> op = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.integers().between(0, 1 << 16),
                Arbitraries.integers().between(0, 1 << 16), Arbitraries.integers().between(1, 1 << 12)).as(Op::new);
        Arbitrary<byte[]> mutated = Combinators.combine(seed, op.list().ofMaxSize(8))
                .as((s, ops) -> apply(seeds.get(s), ops, tokens, max));
        Arbitrary<byte[]> spliced = Combinators.combine(seed, seed, Arbitraries.integers().between(0, 1 << 16))
                .as((x, y, at) -> splice(seeds.get(x), seeds.get(y), at, max));
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(1, Arbitraries.of(seeds)),
                net.jqwik.api.Tuple.of(12, mutated),
                net.jqwik.api.Tuple.of(2, spliced),
                net.jqwik.api.Tuple.of(2, random));
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

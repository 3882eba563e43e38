package org.jqmail.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The exact bytes of this process's environment and command-line operands.
 *
 * <p>The JDK decodes {@code argv} and the environment with the locale's charset; under the
 * C locale (cron, daemontools) every byte above 127 becomes U+FFFD and is lost. qmail passes
 * such bytes through untouched (a personal name in {@code NAME}, a {@code DTLINE} with a
 * Latin-1 address), so programs that care read {@code /proc/self/environ} and
 * {@code /proc/self/cmdline} instead. When those are unavailable, or do not match what the JVM
 * was given, the JDK's strings are re-encoded with its own charset.
 *
 * <p>Nothing here loads native code.
 */
public final class ProcSelf {
    /** Bound on either file: Linux caps argv plus environment far below this. */
    private static final int MAX = 16 * 1024 * 1024;

    private ProcSelf() {
    }

    private static Charset jnu() {
        String cs = System.getProperty("sun.jnu.encoding");
        try {
            return cs == null ? Charset.defaultCharset() : Charset.forName(cs);
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }

    private static byte[] read(String path) {
        try (InputStream in = Files.newInputStream(Paths.get(path))) {
            byte[] b = in.readNBytes(MAX + 1);
            return b.length > MAX ? null : b;
        } catch (IOException e) {
            return null;
        }
    }

    private static List<byte[]> split0(byte[] b) {
        List<byte[]> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < b.length; i++) {
            if (b[i] == 0) {
                out.add(Arrays.copyOfRange(b, start, i));
                start = i + 1;
            }
        }
        if (start < b.length) {
            out.add(Arrays.copyOfRange(b, start, b.length));
        }
        return out;
    }

    /**
     * The environment as name → value bytes; for a name given twice the first wins, as
     * {@code getenv(3)} does.
     */
    public static Map<String, byte[]> environ() {
        byte[] raw = read("/proc/self/environ");
        Map<String, byte[]> env = new HashMap<>();
        if (raw != null) {
            for (byte[] kv : split0(raw)) {
                int eq = Bytes.indexOf(kv, '=');
                if (eq > 0) {
                    env.putIfAbsent(Bytes.str(kv, 0, eq), Bytes.sub(kv, eq + 1));
                }
            }
            return env;
        }
        Charset cs = jnu();
        for (Map.Entry<String, String> e : System.getenv().entrySet()) {
            env.put(e.getKey(), e.getValue().getBytes(cs));
        }
        return env;
    }

    /**
     * The operands {@code args} of {@code main} as the bytes the process received. The
     * operands are found in {@code /proc/self/cmdline} after the word {@code mainClass}; if
     * that does not line up with {@code args}, the strings are re-encoded instead.
     */
    public static List<byte[]> args(String mainClass, String[] args) {
        Charset cs = jnu();
        List<byte[]> fallback = new ArrayList<>(args.length);
        for (String a : args) {
            fallback.add(a.getBytes(cs));
        }
        byte[] raw = read("/proc/self/cmdline");
        if (raw == null) {
            return fallback;
        }
        List<byte[]> words = split0(raw);
        byte[] mc = Bytes.ascii(mainClass);
        for (int i = 0; i < words.size(); i++) {
            if (Arrays.equals(words.get(i), mc) && words.size() - i - 1 == args.length
                    && matches(words.subList(i + 1, words.size()), args, cs)) {
                return new ArrayList<>(words.subList(i + 1, words.size()));
            }
        }
        return fallback;
    }

    private static boolean matches(List<byte[]> raw, String[] args, Charset cs) {
        for (int i = 0; i < args.length; i++) {
            if (!new String(raw.get(i), cs).equals(args[i])) {
                return false;
            }
        }
        return true;
    }

    /**
     * The real uid of this process, from the {@code Uid:} line of {@code /proc/self/status}
     * (getuid(2) without native code); -1 if it cannot be read.
     */
    public static long uid() {
        byte[] st = read("/proc/self/status");
        if (st == null) {
            return -1;
        }
        byte[] key = Bytes.ascii("\nUid:");
        int i = 0;
        for (; i + key.length <= st.length; i++) {
            if (Bytes.regionMatchesIgnoreCase(st, i, key, 0, key.length)) {
                break;
            }
        }
        i += key.length;
        while (i < st.length && (st[i] == '\t' || st[i] == ' ')) {
            i++;
        }
        long[] v = new long[1];
        int n = Scan.ulongChecked(st, i, st.length, v);
        return n <= 0 ? -1 : v[0];
    }
}

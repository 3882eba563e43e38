package org.jqmail.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command-line arguments as the bytes the program was given.
 *
 * <p>The JVM decodes {@code argv} with the platform's {@code sun.jnu.encoding}, which under the
 * C locale that qmail runs in turns every byte above 127 into {@code ?}; addresses passed on a
 * command line (qmail-remote's sender and recipients, qmail-local's) must arrive unchanged. On
 * Linux the original bytes are in {@code /proc/self/cmdline}: the last {@code args.length}
 * NUL-terminated strings there are the program's arguments. If that file cannot be read or does
 * not agree with {@code args} on the ASCII ones, the JVM's strings are used (as ISO-8859-1).
 */
public final class Argv {
    /** Bound on {@code /proc/self/cmdline} (Linux's ARG_MAX is 2 MiB by default). */
    static final int MAX = 8 * 1024 * 1024;

    private Argv() {
    }

    /** The raw bytes of {@code args}. */
    public static byte[][] bytes(String[] args) {
        byte[][] raw = fromProc(Path.of("/proc/self/cmdline"), args);
        if (raw != null) {
            return raw;
        }
        byte[][] out = new byte[args.length][];
        for (int i = 0; i < args.length; i++) {
            out[i] = args[i].getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    static byte[][] fromProc(Path cmdline, String[] args) {
        byte[] all;
        try (InputStream in = Files.newInputStream(cmdline)) {
            all = in.readNBytes(MAX + 1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        return split(all, args);
    }

    /** The last {@code args.length} NUL-terminated strings of {@code all}, if they match. */
    static byte[][] split(byte[] all, String[] args) {
        if (all.length > MAX) {
            return null;
        }
        List<byte[]> strs = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == 0) {
                strs.add(Bytes.sub(all, start, i));
                start = i + 1;
            }
        }
        if (start < all.length || strs.size() < args.length) {
            return null;
        }
        byte[][] out = new byte[args.length][];
        int base = strs.size() - args.length;
        for (int i = 0; i < args.length; i++) {
            out[i] = strs.get(base + i);
            // An argument the JVM decoded losslessly must match byte for byte; one with '?' or
            // a replacement character may be the lossy view of the raw bytes.
            if (plain(args[i]) && !Bytes.str(out[i]).equals(args[i])) {
                return null;
            }
        }
        return out;
    }

    private static boolean plain(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c > 126 || c == '?') {
                return false;
            }
        }
        return true;
    }
}

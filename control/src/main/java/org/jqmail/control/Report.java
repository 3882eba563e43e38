package org.jqmail.control;

import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;

/**
 * Delivery reports (doc/PROTOCOLS.md §3.3, qmail-remote(8)): the text a spawn daemon sends
 * qmail-send after a delivery (a letter {@code K}/{@code Z}/{@code D} and a text), built from the
 * delivery program's exit status and output exactly as {@code qmail-lspawn.c} and
 * {@code qmail-rspawn.c} build it.
 */
public final class Report {
    /** qmail-lspawn's output bound ({@code truncreport}). */
    public static final int LSPAWN_TRUNC = 3000;
    private static final byte[] TRUNC_MESS = Bytes.ascii("\nError report too long, sorry.\n");

    // qlx.h
    public static final int QLX_USAGE = 112;
    public static final int QLX_ROOT = 113;
    public static final int QLX_NFS = 115;
    public static final int QLX_NOALIAS = 116;
    public static final int QLX_CDB = 117;
    public static final int QLX_SYS = 118;
    public static final int QLX_NOMEM = 119;
    public static final int QLX_EXECSOFT = 120;
    public static final int QLX_EXECPW = 121;
    public static final int QLX_EXECHARD = 126;

    private Report() {
    }

    /**
     * Applies spawn.c's truncation to collected output: if it is longer than {@code trunc}
     * (and {@code trunc > 100}), it is cut to {@code trunc - 31 - 3} bytes and
     * {@code "\nError report too long, sorry.\n"} appended. Call after every append so the
     * collected output never grows much beyond {@code trunc}.
     */
    public static void truncate(ByteBuf output, int trunc) {
        if (trunc > 100 && output.length() > trunc) {
            output.truncate(trunc - TRUNC_MESS.length - 3);
            output.append(TRUNC_MESS);
        }
    }

    /** Bytes of {@code s} up to (not including) the first NUL. */
    private static int cstr(byte[] s, int off, int len) {
        int i = off;
        while (i < off + len && s[i] != 0) {
            i++;
        }
        return i - off;
    }

    /**
     * qmail-lspawn's {@code report()}: the letter and text for a qmail-local (or lspawn child)
     * that was killed ({@code crashed}) or exited with {@code exitCode}, having written
     * {@code out[0..len)}.
     */
    public static byte[] lspawn(boolean crashed, int exitCode, byte[] out, int len) {
        if (crashed) {
            return Bytes.ascii("Zqmail-local crashed.\n");
        }
        String fixed = null;
        char letter;
        switch (exitCode) {
            case QLX_CDB: fixed = "ZTrouble reading users/cdb in qmail-lspawn.\n"; letter = 0; break;
            case QLX_NOMEM: fixed = "ZOut of memory in qmail-lspawn.\n"; letter = 0; break;
            case QLX_SYS: fixed = "ZTemporary failure in qmail-lspawn.\n"; letter = 0; break;
            case QLX_NOALIAS: fixed = "ZUnable to find alias user!\n"; letter = 0; break;
            case QLX_ROOT: fixed = "ZNot allowed to perform deliveries as root.\n"; letter = 0; break;
            case QLX_USAGE: fixed = "ZInternal qmail-lspawn bug.\n"; letter = 0; break;
            case QLX_NFS: fixed = "ZNFS failure in qmail-local.\n"; letter = 0; break;
            case QLX_EXECHARD: fixed = "DUnable to run qmail-local.\n"; letter = 0; break;
            case QLX_EXECSOFT: fixed = "ZUnable to run qmail-local.\n"; letter = 0; break;
            case QLX_EXECPW: fixed = "ZUnable to run qmail-getpw.\n"; letter = 0; break;
            case 111: case 71: case 74: case 75: letter = 'Z'; break;
            case 0: letter = 'K'; break;
            default: letter = 'D'; break;
        }
        if (fixed != null) {
            return Bytes.ascii(fixed);
        }
        int n = cstr(out, 0, len);
        byte[] r = new byte[n + 1];
        r[0] = (byte) letter;
        System.arraycopy(out, 0, r, 1, n);
        return r;
    }

    /**
     * qmail-rspawn's {@code report()}: folds qmail-remote's records ({@code r}/{@code h}/
     * {@code s} per recipient, then {@code K}/{@code Z}/{@code D}) into one report, byte for byte
     * as the C code does, including its edge cases.
     */
    public static byte[] rspawn(boolean crashed, int exitCode, byte[] s, int len) {
        if (crashed) {
            return Bytes.ascii("Zqmail-remote crashed.\n");
        }
        if (exitCode == 111) {
            return Bytes.ascii("ZUnable to run qmail-remote.\n");
        }
        if (exitCode != 0) {
            return Bytes.ascii("DUnable to run qmail-remote.\n");
        }
        if (len == 0) {
            return Bytes.ascii("Zqmail-remote produced no output.\n");
        }
        int result = -1;
        int j = 0;
        for (int k = 0; k < len; k++) {
            if (s[k] == 0) {
                if (s[j] == 'K') {
                    result = 1;
                    break;
                }
                if (s[j] == 'Z') {
                    result = 0;
                    break;
                }
                if (s[j] == 'D') {
                    break;
                }
                j = k + 1;
            }
        }
        int orr = result;
        if (s[0] == 's') {
            orr = 0;
        } else if (s[0] == 'h') {
            orr = -1;
        }
        ByteBuf b = new ByteBuf(len + 1);
        b.append(orr == 1 ? 'K' : orr == 0 ? 'Z' : 'D');
        for (int k = 1; k < len;) {
            if (s[k++] == 0) {
                b.append(s, 1, cstr(s, 1, len - 1));
                if (result <= orr && k < len) {
                    byte c = s[k];
                    if (c == 'Z' || c == 'D' || c == 'K') {
                        b.append(s, k + 1, cstr(s, k + 1, len - k - 1));
                    }
                }
                break;
            }
        }
        return b.toByteArray();
    }
}

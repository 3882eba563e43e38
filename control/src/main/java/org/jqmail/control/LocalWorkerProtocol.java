package org.jqmail.control;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The pipe protocol between qmail-lspawn and a warm qmail-local worker (doc/ARCHITECTURE.md §7). A
 * worker is started once per (uid, gid) already running as that user and performs one delivery at a
 * time, each exactly as a fresh {@code qmail-local} process would: same argv, same exit codes,
 * same output, so lspawn builds the same report either way.
 *
 * <pre>
 * request (lspawn → worker stdin):
 *   argc: u32 BE (always 8), then argc × { len: u32 BE, bytes }
 *       user homedir local dash ext domain sender defaultdelivery   (qmail-local's argv after --)
 *   message: len: u64 BE, then the message file's bytes
 * response (worker stdout → lspawn):
 *   kind: u8   0 = exited with code, 1 = crashed (as if killed by a signal)
 *   code: u32 BE
 *   output: len: u32 BE (≤ OUTPUT_MAX), bytes   everything qmail-local wrote to fd 1 and 2
 * </pre>
 *
 * A worker exits 0 at end of input between requests. All lengths are checked against bounds
 * before anything is allocated.
 */
public final class LocalWorkerProtocol {
    public static final int ARGC = 8;
    /** Bound on one argv field. */
    public static final int ARG_MAX = 64 * 1024;
    /** Bound on the output returned (lspawn keeps only 3000 bytes of it anyway). */
    public static final int OUTPUT_MAX = 64 * 1024;
    /** Bound on a message sent to a worker. */
    public static final long MESSAGE_MAX = 1L << 40;

    private LocalWorkerProtocol() {
    }

    /** A delivery request's argv (the message follows separately). */
    public record Request(List<byte[]> args, long messageLength) {
    }

    /** A delivery's outcome. */
    public record Response(boolean crashed, int code, byte[] output) {
    }

    /** Writes the request header; the caller then writes exactly {@code messageLength} bytes. */
    public static void writeRequest(OutputStream o, List<byte[]> args, long messageLength)
            throws IOException {
        if (args.size() != ARGC) {
            throw new IllegalArgumentException("argc " + args.size());
        }
        DataOutputStream d = new DataOutputStream(o);
        d.writeInt(ARGC);
        for (byte[] a : args) {
            d.writeInt(a.length);
            d.write(a);
        }
        d.writeLong(messageLength);
    }

    /**
     * Reads a request header; returns null at a clean end of input. The caller then reads
     * exactly {@link Request#messageLength()} message bytes.
     */
    public static Request readRequest(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int first = d.read();
        if (first < 0) {
            return null;
        }
        int argc = (first << 24) | (d.readUnsignedByte() << 16) | (d.readUnsignedByte() << 8)
                | d.readUnsignedByte();
        if (argc != ARGC) {
            throw new IOException("worker protocol: bad argc " + argc);
        }
        List<byte[]> args = new ArrayList<>(ARGC);
        for (int i = 0; i < ARGC; i++) {
            int n = d.readInt();
            if (n < 0 || n > ARG_MAX) {
                throw new IOException("worker protocol: bad argument length " + n);
            }
            byte[] a = new byte[n];
            d.readFully(a);
            args.add(a);
        }
        long len = d.readLong();
        if (len < 0 || len > MESSAGE_MAX) {
            throw new IOException("worker protocol: bad message length " + len);
        }
        return new Request(args, len);
    }

    public static void writeResponse(OutputStream o, Response r) throws IOException {
        DataOutputStream d = new DataOutputStream(o);
        d.writeByte(r.crashed() ? 1 : 0);
        d.writeInt(r.code());
        int n = Math.min(r.output().length, OUTPUT_MAX);
        d.writeInt(n);
        d.write(r.output(), 0, n);
        d.flush();
    }

    /** Reads a response; throws {@link EOFException} if the worker died before answering. */
    public static Response readResponse(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int kind = d.readUnsignedByte();
        int code = d.readInt();
        int n = d.readInt();
        if (kind > 1 || n < 0 || n > OUTPUT_MAX) {
            throw new IOException("worker protocol: bad response");
        }
        byte[] out = new byte[n];
        d.readFully(out);
        return new Response(kind == 1, code, out);
    }
}

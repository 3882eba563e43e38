package org.jqmail.control;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Bytes;
import org.jqmail.io.SubstdioIn;

/**
 * The qmail-queue envelope (doc/PROTOCOLS.md §1.1): {@code F}sender{@code \0}, then
 * {@code T}recipient {@code \0} records, then a final {@code \0}. Addresses are opaque bytes.
 *
 * <p>{@link #record} and {@link #END} write it ({@link QueueClient}); {@link #read} parses it
 * from a stream with qmail-queue's exact failure classes:
 * {@link Problem#FORMAT} (exit 91), {@link Problem#TOO_LONG} (exit 11),
 * {@link Problem#TRUNCATED} (exit 54).
 */
public record Envelope(byte[] sender, List<byte[]> recipients) {
    /** Longest address qmail-queue accepts: 1002 bytes before the NUL (doc/PROTOCOLS.md §1.1). */
    public static final int ADDR_MAX = 1002;

    /** Why an envelope was refused. */
    public enum Problem {
        /** A record did not start with F or T: exit 91. */
        FORMAT,
        /** An address longer than {@link #ADDR_MAX}: exit 11. */
        TOO_LONG,
        /** End of input before the final NUL: exit 54. */
        TRUNCATED
    }

    /** A refused envelope. */
    public static final class BadEnvelope extends IOException {
        private static final long serialVersionUID = 1L;
        private final Problem problem;

        public BadEnvelope(Problem p) {
            super("bad envelope: " + p);
            this.problem = p;
        }

        public Problem problem() {
            return problem;
        }
    }

    public Envelope {
        recipients = Collections.unmodifiableList(new ArrayList<>(recipients));
    }

    /** The envelope's last byte, after its records. */
    public static final byte[] END = {0};

    /** One record as a submitter writes it: {@code type} ({@code F} or {@code T}), the address, NUL. */
    public static byte[] record(char type, byte[] addr) {
        byte[] rec = new byte[addr.length + 2];
        rec[0] = (byte) type;
        System.arraycopy(addr, 0, rec, 1, addr.length);
        return rec;
    }

    /** The wire form: {@code F}s{@code \0}({@code T}r{@code \0})*{@code \0}. */
    public byte[] encode() {
        ByteBuf b = new ByteBuf(Integer.MAX_VALUE - 16);
        b.append('F').append(sender).append(0);
        for (byte[] r : recipients) {
            b.append('T').append(r).append(0);
        }
        b.append(0);
        return b.toByteArray();
    }

    /**
     * Reads one envelope. {@code sink} receives each record as it is parsed (the whole record
     * including its type letter, without the NUL), so a queue writer can copy records through
     * without holding all of them; pass null to only collect.
     */
    public static Envelope read(SubstdioIn in, RecordSink sink) throws IOException {
        byte[] sender = null;
        List<byte[]> rcpts = new ArrayList<>();
        ByteBuf rec = new ByteBuf(ADDR_MAX + 1);
        for (;;) {
            int t = in.get();
            if (t < 0) {
                throw new BadEnvelope(Problem.TRUNCATED);
            }
            if (sender == null) {
                if (t != 'F') {
                    throw new BadEnvelope(Problem.FORMAT);
                }
            } else if (t == 0) {
                return new Envelope(sender, rcpts);
            } else if (t != 'T') {
                throw new BadEnvelope(Problem.FORMAT);
            }
            rec.clear();
            SubstdioIn.Line r = in.getline(rec, (byte) 0, ADDR_MAX);
            if (r == SubstdioIn.Line.TOO_LONG) {
                throw new BadEnvelope(Problem.TOO_LONG);
            }
            if (r != SubstdioIn.Line.LINE) {
                throw new BadEnvelope(Problem.TRUNCATED);
            }
            byte[] addr = rec.toByteArray();
            if (sink != null) {
                sink.record((byte) t, addr);
            }
            if (sender == null) {
                sender = addr;
            } else {
                rcpts.add(addr);
            }
        }
    }

    /** Receives envelope records as they are parsed. */
    public interface RecordSink {
        void record(byte type, byte[] addr) throws IOException;
    }

    /** For diagnostics only. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Envelope[F").append(Bytes.str(sender));
        for (byte[] r : recipients) {
            sb.append(" T").append(Bytes.str(r));
        }
        return sb.append(']').toString();
    }
}

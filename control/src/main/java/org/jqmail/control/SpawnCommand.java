package org.jqmail.control;

import java.io.IOException;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.SubstdioIn;

/**
 * One delivery command from qmail-send to a spawn daemon (spec §4.2):
 * {@code SLOT MESSFILE\0 SENDER\0 RECIPIENT\0}, SLOT one byte.
 */
public record SpawnCommand(int slot, byte[] messfile, byte[] sender, byte[] recipient) {
    /** Bound on each field while parsing; longer fields are a protocol error. */
    public static final int FIELD_MAX = 64 * 1024;

    public byte[] encode() {
        ByteBuf b = new ByteBuf(4 + messfile.length + sender.length + recipient.length);
        b.append(slot).append(messfile).append(0).append(sender).append(0).append(recipient).append(0);
        return b.toByteArray();
    }

    /** Thrown for a field longer than {@link #FIELD_MAX}. */
    public static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;

        TooLong() {
            super("spawn command field too long");
        }
    }

    /** Reads one command; returns null at a clean end of input (EOF before a slot byte). */
    public static SpawnCommand read(SubstdioIn in) throws IOException {
        int slot = in.get();
        if (slot < 0) {
            return null;
        }
        byte[][] f = new byte[3][];
        ByteBuf b = new ByteBuf(FIELD_MAX);
        for (int i = 0; i < 3; i++) {
            b.clear();
            SubstdioIn.Line r = in.getline(b, (byte) 0, FIELD_MAX);
            if (r == SubstdioIn.Line.TOO_LONG) {
                throw new TooLong();
            }
            if (r != SubstdioIn.Line.LINE) {
                return null;
            }
            f[i] = b.toByteArray();
        }
        return new SpawnCommand(slot, f[0], f[1], f[2]);
    }
}

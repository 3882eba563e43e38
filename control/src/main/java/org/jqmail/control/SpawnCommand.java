package org.jqmail.control;

import java.io.IOException;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.SubstdioIn;

/**
 * One delivery command from qmail-send to a spawn daemon (doc/PROTOCOLS.md §3):
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

    /**
     * Thrown for a field longer than {@link #FIELD_MAX}, after the rest of that command has been
     * consumed, so that the next command can be read. spawn.c reports such a command (its
     * buffers could not grow) as {@code Zqmail-spawn out of memory. (#4.3.0)} for its slot.
     */
    public static final class TooLong extends IOException {
        private static final long serialVersionUID = 1L;
        private final int slot;

        TooLong(int slot) {
            super("spawn command field too long");
            this.slot = slot;
        }

        /** The slot byte of the command. */
        public int slot() {
            return slot;
        }
    }

    /**
     * Reads one command; returns null at end of input (a command cut short by end of input is
     * dropped, as in spawn.c).
     */
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
                for (int j = i; j < 3; j++) {
                    if (!in.skipLine((byte) 0)) {
                        return null;
                    }
                }
                throw new TooLong(slot);
            }
            if (r != SubstdioIn.Line.LINE) {
                return null;
            }
            f[i] = b.toByteArray();
        }
        return new SpawnCommand(slot, f[0], f[1], f[2]);
    }
}

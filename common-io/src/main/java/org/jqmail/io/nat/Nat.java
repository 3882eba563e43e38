package org.jqmail.io.nat;

/**
 * Access to the native layer. The implementation class, and with it jnr, is loaded on first
 * use only: programs that never call {@link #posix()} never pay for it.
 */
public final class Nat {
    private Nat() {
    }

    private static final class Holder {
        static final Posix POSIX = new JnrPosix();
    }

    /** The process-wide native interface. */
    public static Posix posix() {
        return Holder.POSIX;
    }
}

package org.jqmail.io.nat;

/** A child's wait status, decoded as the W* macros do. */
public record WaitStatus(int raw) {
    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    public int exitCode() {
        return (raw >> 8) & 0xff;
    }

    public boolean signaled() {
        return ((raw & 0x7f) + 1) >> 1 > 0 && !exited() && (raw & 0xff) != 0x7f;
    }

    public int termSig() {
        return raw & 0x7f;
    }
}

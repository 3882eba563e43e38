package org.jqmail.io.nat;

/**
 * A child's wait status as waitpid(2) returns it, decoded as glibc's W* macros do (Linux
 * layout: exit code in bits 8..15, terminating signal in bits 0..6, 0x7f in the low byte for a
 * stopped child).
 *
 * <p>See also: waitpid(2), {@code <bits/waitstatus.h>}.
 */
public record WaitStatus(int raw) {
    /** WIFEXITED: the child called exit. */
    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    /** WEXITSTATUS: meaningful only if {@link #exited()}. */
    public int exitCode() {
        return (raw >> 8) & 0xff;
    }

    /** WIFSIGNALED: the child was killed by a signal (neither exited nor stopped). */
    public boolean signaled() {
        int sig = raw & 0x7f;
        return sig != 0 && sig != 0x7f;
    }

    /** WTERMSIG: meaningful only if {@link #signaled()}. */
    public int termSig() {
        return raw & 0x7f;
    }
}

package org.jqmail.local;

import org.jqmail.control.Failure;
import static org.jqmail.local.T.b;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every text qmail-local can print, byte for byte, with its exit code (qmail-local(8)). */
class TroubleTest {
    private static final IOException ENOENT = new NoSuchFileException("x");
    private static final IOException EACCES = new AccessDeniedException("x");
    private static final IOException ENOSPC = new IOException("No space left on device");

    private static Arguments t(int code, String text, Supplier<Failure> f) {
        return Arguments.of(code, text, f);
    }

    static Stream<Arguments> catalogue() {
        return Stream.of(
            t(100, "qmail-local: usage: qmail-local [ -nN ] user homedir local dash ext domain sender aliasempty", Trouble::usage),
            t(111, "Out of memory. (#4.3.0)", Trouble::nomem),
            t(111, "Unable to rewind message. (#4.3.0)", Trouble::rewind),
            t(111, "Aack, child crashed. (#4.3.0)", Trouble::childCrashed),
            t(111, "Unable to fork: out of memory. (#4.3.0)", () -> Trouble.fork(new IOException("Cannot allocate memory"))),
            t(111, "Unable to read message: input/output error. (#4.3.0)", () -> Trouble.read(new IOException("Input/output error"))),
            t(111, "File has been locked for 30 seconds straight. (#4.3.0)", Trouble::slowLock),
            t(111, "Unable to open .qmail-x: access denied. (#4.3.0)", () -> Trouble.qmail(b(".qmail-x"), EACCES)),
            t(111, "Unable to switch to /home/joe: file does not exist. (#4.3.0)", () -> Trouble.switchHome(b("/home/joe"), ENOENT)),
            t(111, "Unable to stat home directory: access denied. (#4.3.0)", () -> Trouble.statHome(EACCES)),
            t(111, "Uh-oh: home directory is writable. (#4.7.0)", Trouble::homeWritable),
            t(111, "Home directory is sticky: user is editing his .qmail file. (#4.2.1)", Trouble::homeSticky),
            t(100, "This message is looping: it already has my Delivered-To line. (#5.4.6)", Trouble::looping),
            t(111, "Uh-oh: .qmail file is writable. (#4.7.0)", Trouble::qmailWritable),
            t(100, "Sorry, no mailbox here by that name. (#5.1.1)", Trouble::noMailbox),
            t(111, "Uh-oh: first line of .qmail file is blank. (#4.2.1)", Trouble::firstLineBlank),
            t(111, "Uh-oh: .qmail has file delivery but has x bit set. (#4.7.0)", Trouble::fileButX),
            t(111, "Uh-oh: .qmail has prog delivery but has x bit set. (#4.7.0)", Trouble::progButX),
            t(111, "Unable to run /bin/sh: file does not exist. (#4.3.0)", () -> Trouble.runSh(2)),
            t(100, "", Trouble::programPerm),
            t(111, "", Trouble::programTemp),
            t(111, "Unable to chdir to maildir. (#4.2.1)", Trouble::maildirChdir),
            t(111, "Timeout on maildir delivery. (#4.3.0)", Trouble::maildirTimeout),
            t(111, "Unable to read message. (#4.3.0)", Trouble::maildirRead),
            t(111, "Temporary error on maildir delivery. (#4.3.0)", Trouble::maildirTemp),
            t(111, "Unable to open ./Mailbox: access denied. (#4.2.1)", () -> Trouble.mboxOpen(b("./Mailbox"), EACCES)),
            t(111, "Unable to write ./Mailbox: out of disk space. (#4.3.0)", () -> Trouble.mboxWrite(b("./Mailbox"), ENOSPC)),
            t(100, "Unable to forward message: mail server permanently rejected message (#5.3.0).",
                    () -> Trouble.forward("Dmail server permanently rejected message (#5.3.0)")),
            t(111, "Unable to forward message: qq read error (#4.3.0).", () -> Trouble.forward("Zqq read error (#4.3.0)")),
            t(111, "Unable to deliver: internal error in qmail-local. (#4.3.0)", Trouble::internal));
    }

    @ParameterizedTest
    @MethodSource("catalogue")
    void textsAndExitCodes(int code, String text, Supplier<Failure> make) {
        Failure f = make.get();
        assertEquals(text, s(f.text()));
        assertEquals(code, f.exitCode());
    }
}

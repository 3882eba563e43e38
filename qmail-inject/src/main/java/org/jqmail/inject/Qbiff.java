package org.jqmail.inject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import org.jqmail.io.Fds;
import org.jqmail.io.Main;
import org.jqmail.io.ProcSelf;

/**
 * qbiff: announces a new message on the terminals where its recipient is logged in and has run
 * {@code biff y}. Used in a {@code .qmail} file as {@code |qbiff}.
 *
 * <p>Reads the message on fd 0 and {@code USER}, {@code SENDER} and {@code LOCAL} from the
 * environment qmail-local gives it; without one of them, or with a USER longer than utmp's 32
 * bytes, it does nothing. The notice ({@link Biff#notice}) goes to each terminal of
 * {@link Biff#ttys} that opens for appending without being created, whose owner-execute bit is
 * set (what {@code biff y} sets) and which belongs to this process's uid.
 *
 * <p>Exit status: 0, always: a notice that cannot be given never fails a delivery.
 *
 * <p>See also: qbiff(1), biff(1), dot-qmail(5), {@link Biff}.
 */
public final class Qbiff {
    static final Path UTMP = Path.of("/var/run/utmp");
    static final Path DEV = Path.of("/dev");
    private static final int UTMP_MAX = 16 * 1024 * 1024;

    private Qbiff() {
    }

    public static void main(String[] args) {
        Main.guard(0);
        try {
            run(ProcSelf.environ(), Fds.in(0));
        } catch (Throwable t) {
            // qbiff never fails a delivery, and says nothing: its output would be the
            // delivery's report.
        }
        Main.end(0);
    }

    static void run(Map<String, byte[]> env, InputStream in) throws IOException {
        if (!Files.isDirectory(DEV)) {
            return;
        }
        byte[] user = env.get("USER");
        byte[] sender = env.get("SENDER");
        byte[] local = env.get("LOCAL");
        if (user == null || sender == null || local == null || user.length > Biff.UT_NAMESIZE) {
            return;
        }
        byte[] woof = Biff.notice(local, sender, in);
        if (woof == null) {
            return;
        }
        byte[] utmp;
        try (InputStream u = Files.newInputStream(UTMP)) {
            utmp = u.readNBytes(UTMP_MAX);
        } catch (IOException e) {
            return;
        }
        long uid = ProcSelf.uid();
        for (String line : Biff.ttys(utmp, user)) {
            Path tty = DEV.resolve(line);
            // Appending, never creating: qmail opens with O_APPEND and no O_CREAT.
            try (FileChannel c = FileChannel.open(tty, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                int mode = (Integer) Files.getAttribute(tty, "unix:mode");
                int owner = (Integer) Files.getAttribute(tty, "unix:uid");
                if ((mode & 0100) == 0 || owner != uid) {
                    continue;
                }
                ByteBuffer b = ByteBuffer.wrap(woof);
                while (b.hasRemaining()) {
                    c.write(b);
                }
            } catch (IOException | RuntimeException e) {
                // Like a failed open or fstat: on to the next terminal.
            }
        }
    }

}

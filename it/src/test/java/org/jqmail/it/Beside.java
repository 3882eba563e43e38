package org.jqmail.it;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;

/**
 * The rig of the tests that run jqmail beside the tools a qmail site runs (Dovecot,
 * SpamAssassin, maildrop, fetchmail, mutt; README.md "Living with other tools"): a fresh
 * {@link TestHome}, one real user with an empty home and {@code ~/Maildir/}, users/assign
 * mapping that user (and its extensions) and the alias user of the prefix, and the whole
 * {@link MailSystem} running. {@link #close} stops what it started and empties the user's home.
 */
final class Beside implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);

    final TestHome home;
    final String user;
    final Path uhome;
    final int uid;
    final int gid;
    MailSystem sys;
    private boolean password;

    private Beside(TestHome home, String user, Path uhome) throws IOException {
        this.home = home;
        this.user = user;
        this.uhome = uhome;
        this.uid = TestHome.uid(user);
        this.gid = TestHome.gid(user);
    }

    /**
     * Installs a prefix and prepares {@code user} (skipping the test without root or without
     * {@code tool}, a program the Debian package installs); the system is not started yet.
     */
    static Beside prepare(String user, String tool) throws Exception {
        Assumptions.assumeTrue(TestHome.isRoot(), "needs root: real users and privilege separation");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(tool)), tool + " is not installed (scripts/test installs it)");
        Path uhome = TestHome.ensureUser(user);
        MailSystem.emptyHome(uhome);
        MailSystem.maildir(user, uhome.resolve("Maildir"));
        TestHome home = TestHome.create();
        Beside b = new Beside(home, user, uhome);
        String ids = user + ":" + b.uid + ":" + b.gid + ":" + uhome;
        MailSystem.maildir("alias", home.alias().resolve("Maildir"));
        MailSystem.dotQmail("alias", home.alias(), ".qmail-postmaster", "");
        home.usersAssign("=" + user + ":" + ids + ":::\n+" + user + "-:" + ids + ":-::\n+:alias:"
                + TestHome.uid("alias") + ":" + TestHome.gid("alias") + ":" + home.alias() + ":-::\n.\n");
        return b;
    }

    /** Starts qmail-queued, the listener and qmail-send. */
    Beside start() throws Exception {
        sys = new MailSystem(home).start();
        return this;
    }

    /** Writes etc/tcp.smtp and compiles etc/tcp.smtp.cdb with tcprules, as a sysadmin would. */
    void tcpRules(String rules) throws IOException {
        Files.writeString(home.etc().resolve("tcp.smtp"), rules, ISO_8859_1);
        TestHome.Result r = TestHome.exec(List.of("sh", "-c", "cd " + home.etc()
                + " && tcprules tcp.smtp.cdb tcp.smtp.tmp < tcp.smtp"), null, WAIT);
        if (r.exit() != 0) {
            throw new IOException("tcprules: " + r.errText());
        }
    }

    /**
     * Sends one message by SMTP to the listener and waits until qmail-send has finished it;
     * returns its log lines from {@code new msg} to {@code end msg}.
     */
    List<String> deliver(String from, String rcpt, String data) throws Exception {
        String reply = sys.smtp(from, List.of(rcpt), data);
        return awaitEnd(reply.substring(reply.lastIndexOf(' ') + 1));
    }

    /** Waits for the end of the message queued by qmail-queue {@code qp}; returns its log. */
    List<String> awaitEnd(String qp) throws InterruptedException {
        try {
            TestHome.await("the end of the message queued by qp " + qp, () -> !sys.messageLog(qp).isEmpty(), WAIT);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nqmail-send said:\n" + String.join("\n", sys.log()), e);
        }
        return sys.messageLog(qp);
    }

    /**
     * Runs a command as the user with a login-like environment (plus {@code env}) in the
     * user's home; a program name without a slash is taken from bin/.
     */
    TestHome.Result asUser(byte[] stdin, Map<String, String> env, String... cmd) throws IOException {
        List<String> argv = new ArrayList<>(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--init-groups",
                "env", "-i", "-C", uhome.toString(), "HOME=" + uhome, "USER=" + user, "LOGNAME=" + user,
                "PATH=/usr/bin:/bin"));
        env.forEach((k, v) -> argv.add(k + "=" + v));
        argv.add(cmd[0].contains("/") ? cmd[0] : home.bin(cmd[0]).toString());
        argv.addAll(List.of(cmd).subList(1, cmd.length));
        return TestHome.exec(argv, stdin, Duration.ofMinutes(2));
    }

    /**
     * Gives the user Pop3IT's password (yescrypt of {@link Pop3IT#PASS}; taken away again by
     * {@link #close}) and starts our POP3 service for it under tcpserver, as scripts/install's
     * run file does; returns its port.
     */
    int pop3() throws Exception {
        Pop3IT.account("usermod", "-p", Pop3IT.YESCRYPT, user);
        password = true;
        int p = TestHome.freePort();
        TestHome.Proc t = home.start("/usr/bin/tcpserver", "-v", "-R", "-H", "-l", "0", "127.0.0.1",
                Integer.toString(p), home.bin("qmail-popup").toString(), "pop.example",
                home.bin("checkpassword").toString(), home.bin("qmail-pop3d").toString(), "Maildir");
        TestHome.await("tcpserver on " + p, () -> t.err().contains("status: 0/40"), WAIT);
        return p;
    }

    /** The contents of the user's {@code Maildir/new} (or another Maildir), oldest first. */
    List<String> mail(String maildir, int n) throws Exception {
        return MailSystem.awaitMail(uhome.resolve(maildir), n);
    }

    /** A file in the user's home, owned by the user, with {@code mode} (rwx form). */
    Path userFile(String name, String text, String mode) throws IOException {
        Path p = uhome.resolve(name);
        Files.writeString(p, text, ISO_8859_1);
        Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString(mode));
        MailSystem.chown(user, p);
        return p;
    }

    @Override
    public void close() throws Exception {
        try {
            if (sys != null) {
                sys.close();
            }
        } finally {
            home.close();
            MailSystem.emptyHome(uhome);
            if (password) {
                Pop3IT.account("usermod", "-p", "!", user);
            }
        }
    }
}

package org.jqmail.smtpd;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jqmail.io.ByteBuf;
import org.jqmail.io.Out;
import org.jqmail.io.SubstdioOut;

/**
 * SMTP AUTH PLAIN and LOGIN (RFC 4954, 4616) in qmail-smtpd, checked by any program with the
 * checkpassword interface, as in the netqmail SMTP-AUTH patch: qmail-smtpd's arguments are
 * {@code HOST CHECKPASSWORD SUBPROGRAM...}, the checkpassword program gets
 * {@code USER\0PASSWORD\0\0} on fd 3 and runs the subprogram (normally {@code /bin/true}) when
 * the password is right; exit 0 is success (doc/TLS.md §4).
 *
 * <p>Offered only over TLS, unless {@code AUTHCLEAR} is set (by the rules, for example for a
 * local network). Each failure is answered after {@link #SLOW_SECONDS} times the number of
 * failures so far, and the {@link #MAX_FAILURES}th ends the session with 421. A success relays
 * as RELAYCLIENT does, is logged on stderr with the user name, and the user name becomes the
 * Received line's remote info ({@code (USER@IP)}) as in the patch.
 */
final class SmtpAuth {
    static final String AUTHOK = "235 ok, go ahead (#2.0.0)\r\n";
    static final String FAIL = "535 authorization failed (#5.7.0)\r\n";
    static final String CANCELLED = "501 auth exchange cancelled (#5.0.0)\r\n";
    static final String MALFORMED = "501 malformed auth input (#5.5.4)\r\n";
    static final String NOMECH = "504 auth type unimplemented (#5.5.1)\r\n";
    static final String ALREADY = "503 you're already authenticated (#5.5.0)\r\n";
    static final String INMAIL = "503 no auth during mail transaction (#5.5.0)\r\n";
    static final String NEEDTLS = "538 encryption required for requested authentication mechanism (#5.7.11)\r\n";
    static final String CHILD = "454 oops, problem with child and I can't auth (#4.3.0)\r\n";
    static final String TOOMANY = "421 too many authentication failures (#4.7.0)\r\n";
    static final String REQUIRED = "530 authentication required (#5.7.0)\r\n";
    static final String EHLO = "250-AUTH LOGIN PLAIN\r\n250-AUTH=LOGIN PLAIN\r\n";
    static final int MAX_FAILURES = 3;
    static final int SLOW_SECONDS = 2;
    static final int CHILD_SECONDS = 60;
    private static final String SCRIPT = "exec 3<&0 0</dev/null 1>&2 \"$@\"";

    /** Reads one line of the exchange, CRLF removed; the session ends at end of input. */
    interface Lines {
        ByteBuf line() throws IOException;
    }

    private final List<String> args;
    private final Map<String, String> env;
    private int failures;
    /** The authenticated user, or null. */
    byte[] user;

    /** {@code args}: qmail-smtpd's arguments after its name. */
    SmtpAuth(List<String> args, Map<String, String> env) {
        this.args = List.copyOf(args);
        this.env = env;
    }

    boolean configured() {
        return args.size() >= 3;
    }

    boolean offered(boolean tls) {
        return configured() && user == null && (tls || env.containsKey("AUTHCLEAR"));
    }

    /** SUBMISSION set (port 587): MAIL needs AUTH first. */
    boolean required() {
        return env.containsKey("SUBMISSION") && user == null;
    }

    /** AUTH MECH [INITIAL]: the whole exchange; false when the session must end (421 written). */
    boolean command(byte[] s, int arg, int end, boolean tls, boolean seenmail, SubstdioOut out, Lines in)
            throws IOException {
        if (user != null) {
            out.puts(ALREADY);
            return true;
        }
        if (seenmail) {
            out.puts(INMAIL);
            return true;
        }
        if (!offered(tls)) {
            out.puts(NEEDTLS);
            return true;
        }
        int sp = arg;
        while (sp < end && s[sp] != ' ') {
            sp++;
        }
        String mech = new String(s, arg, sp - arg, java.nio.charset.StandardCharsets.ISO_8859_1);
        int init = sp;
        while (init < end && s[init] == ' ') {
            init++;
        }
        byte[][] cred;
        if (mech.equalsIgnoreCase("plain")) {
            byte[] m;
            if (init < end) {
                m = AuthParse.base64(s, init, end);
            } else {
                ByteBuf l = prompt(out, in, "334 \r\n");
                if (cancelled(l)) {
                    out.puts(CANCELLED);
                    return true;
                }
                m = AuthParse.base64(l.array(), 0, l.length());
            }
            cred = AuthParse.plain(m);
        } else if (mech.equalsIgnoreCase("login")) {
            byte[] name;
            if (init < end) {
                name = AuthParse.login(s, init, end);
            } else {
                ByteBuf l = prompt(out, in, "334 VXNlcm5hbWU6\r\n");
                if (cancelled(l)) {
                    out.puts(CANCELLED);
                    return true;
                }
                name = AuthParse.login(l.array(), 0, l.length());
            }
            if (name == null || name.length == 0) {
                out.puts(MALFORMED);
                return true;
            }
            ByteBuf l = prompt(out, in, "334 UGFzc3dvcmQ6\r\n");
            if (cancelled(l)) {
                out.puts(CANCELLED);
                return true;
            }
            byte[] pass = AuthParse.login(l.array(), 0, l.length());
            cred = pass == null ? null : new byte[][] {name, pass};
        } else {
            out.puts(NOMECH);
            return true;
        }
        if (cred == null || cred[0].length == 0) {
            out.puts(MALFORMED);
            return true;
        }
        return check(cred, mech, out);
    }

    private static boolean cancelled(ByteBuf l) {
        return l != null && l.length() == 1 && l.byteAt(0) == '*';
    }

    private static ByteBuf prompt(SubstdioOut out, Lines in, String challenge) throws IOException {
        out.puts(challenge);
        out.flush();
        return in.line();
    }

    private boolean check(byte[][] cred, String mech, SubstdioOut out) throws IOException {
        int code;
        try {
            code = checkpassword(cred[0], cred[1]);
        } finally {
            Arrays.fill(cred[1], (byte) 0);
        }
        if (code < 0) {
            out.puts(CHILD);
            return true;
        }
        String who = printable(cred[0]);
        if (code == 0) {
            user = cred[0];
            Out.err("qmail-smtpd: auth " + mech.toLowerCase(java.util.Locale.ROOT) + " ok user " + who + " from "
                    + env.getOrDefault("TCPREMOTEIP", "unknown") + "\n");
            out.puts(AUTHOK);
            return true;
        }
        failures++;
        Out.err("qmail-smtpd: auth " + mech.toLowerCase(java.util.Locale.ROOT) + " failed user " + who + " from "
                + env.getOrDefault("TCPREMOTEIP", "unknown") + "\n");
        out.flush();
        try {
            TimeUnit.SECONDS.sleep((long) SLOW_SECONDS * failures);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (failures >= MAX_FAILURES) {
            out.puts(TOOMANY);
            return false;
        }
        out.puts(FAIL);
        return true;
    }

    /** The name for the log: printable ASCII, others as {@code ?}, at most 64 bytes. */
    static String printable(byte[] s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length && i < 64; i++) {
            int c = s[i] & 0xff;
            b.append(c > 32 && c < 127 ? (char) c : '?');
        }
        return b.toString();
    }

    /**
     * Runs {@code CHECKPASSWORD SUBPROGRAM...} with the login on fd 3 (through /bin/sh, as
     * qmail-popup does: the JDK starts children with three descriptors), stdin /dev/null,
     * stdout to stderr so nothing reaches the client. Its exit status, or -1 when it could not
     * be run, was killed, or took longer than {@link #CHILD_SECONDS}.
     */
    private int checkpassword(byte[] name, byte[] pass) {
        List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", SCRIPT, "qmail-smtpd"));
        cmd.addAll(args.subList(1, args.size()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return -1;
        }
        byte[] fd3 = new byte[name.length + pass.length + 3];
        System.arraycopy(name, 0, fd3, 0, name.length);
        System.arraycopy(pass, 0, fd3, name.length + 1, pass.length);
        try (OutputStream o = p.getOutputStream()) {
            o.write(fd3);
        } catch (IOException e) {
            // The program did not read its input: its exit status says the rest.
        } finally {
            Arrays.fill(fd3, (byte) 0);
        }
        try {
            if (!p.waitFor(CHILD_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return -1;
        }
        int code = p.exitValue();
        return code > 128 && code <= 192 ? -1 : code;
    }
}

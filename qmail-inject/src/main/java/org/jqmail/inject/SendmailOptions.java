package org.jqmail.inject;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jqmail.io.Bytes;
import org.jqmail.io.Getopt;

/**
 * The sendmail wrapper's command line ({@code sendmail.c}, qmail's sendmail.c) turned into a plan:
 * which program to run, with which arguments and which environment changes.
 *
 * <p>Accepted: {@code -t} (header recipients too: qmail-inject {@code -H}, otherwise
 * {@code -a}), {@code -f sender} (also sets QMAILUSER/QMAILHOST after unsetting QMAILNAME,
 * MAILNAME, NAME, QMAILHOST, MAILHOST), {@code -F name} (MAILNAME), {@code -bm}, {@code -bp}
 * (qmail-qread), {@code -bs} (qmail-smtpd with a local ucspi environment); ignored:
 * {@code -v -i -x -m -e X -p X -o X -B X -E -J}. Anything else is a usage error. Invoked as
 * {@code mailq} it lists the queue; as {@code newaliases} it refuses.
 */
final class SendmailOptions {
    /** What sendmail does. */
    enum Kind { INJECT, QREAD, SMTPD, USAGE, NEWALIASES }

    /**
     * The plan: {@code args} for qmail-inject; {@code env} changes in order (null value =
     * unset).
     */
    record Plan(Kind kind, List<byte[]> args, Map<String, byte[]> env) {
    }

    static final byte[] USAGE = Bytes.ascii(
            "sendmail: usage: sendmail [ -t ] [ -fsender ] [ -Fname ] [ -bp ] [ -bs ] [ arg ... ]\n");
    static final byte[] NEWALIASES = Bytes.ascii("sendmail: fatal: please use fastforward/newaliases instead\n");

    private SendmailOptions() {
    }

    /** The basename of argv[0], as {@code sgetopt} takes it. */
    static String progname(String argv0) {
        if (argv0 == null || argv0.isEmpty()) {
            return "sendmail";
        }
        int slash = argv0.lastIndexOf('/');
        return argv0.substring(slash + 1);
    }

    /**
     * Parses {@code args} (without argv[0]); {@code err} receives getopt's complaints.
     * {@code smtpdEnvNeeded} is true when {@code PROTO} is unset.
     */
    static Plan parse(String progname, List<byte[]> args, boolean protoUnset, OutputStream err) {
        Map<String, byte[]> env = new LinkedHashMap<>();
        boolean flagh = false;
        byte[] sender = null;
        Getopt g = new Getopt(progname, args, "vimte:f:p:o:B:F:EJxb:", err);
        int opt;
        while ((opt = g.next()) != Getopt.DONE) {
            switch (opt) {
                case 'B': case 'p': case 'v': case 'i': case 'x': case 'm': case 'e': case 'o':
                    break;
                case 't': flagh = true; break;
                case 'f': sender = g.arg(); break;
                case 'F': env.put("MAILNAME", g.arg()); break;
                case 'E': case 'J':
                    g.skipRestOfWord();
                    break;
                case 'b': {
                    byte[] a = g.arg();
                    int c = a.length == 0 ? 0 : a[0];
                    if (c == 'm') {
                        break;
                    }
                    if (c == 'p') {
                        return new Plan(Kind.QREAD, List.of(), env);
                    }
                    if (c == 's') {
                        return new Plan(Kind.SMTPD, List.of(), smtpdEnv(env, protoUnset));
                    }
                    return new Plan(Kind.USAGE, List.of(), env);
                }
                default:
                    return new Plan(Kind.USAGE, List.of(), env);
            }
        }
        if (progname.equals("mailq")) {
            return new Plan(Kind.QREAD, List.of(), env);
        }
        if (progname.equals("newaliases")) {
            return new Plan(Kind.NEWALIASES, List.of(), env);
        }
        List<byte[]> qi = new ArrayList<>();
        qi.add(Bytes.ascii(flagh ? "-H" : "-a"));
        if (sender != null) {
            qi.add(Bytes.ascii("-f"));
            qi.add(sender);
            sender(env, sender);
        }
        qi.add(Bytes.ascii("--"));
        qi.addAll(g.operands());
        return new Plan(Kind.INJECT, qi, env);
    }

    /** {@code do_sender}: the default From follows the envelope sender; the name is dropped. */
    private static void sender(Map<String, byte[]> env, byte[] s) {
        for (String v : new String[] {"QMAILNAME", "MAILNAME", "NAME", "QMAILHOST", "MAILHOST"}) {
            env.remove(v);
            env.put(v, null);
        }
        int at = Bytes.lastIndexOf(s, '@');
        if (at < 0) {
            env.put("QMAILUSER", s);
            return;
        }
        env.put("QMAILHOST", Bytes.sub(s, at + 1));
        env.put("QMAILUSER", Bytes.sub(s, 0, at));
    }

    private static Map<String, byte[]> smtpdEnv(Map<String, byte[]> env, boolean protoUnset) {
        if (protoUnset) {
            String[][] kv = {{"RELAYCLIENT", ""}, {"DATABYTES", "0"}, {"PROTO", "TCP"},
                {"TCPLOCALIP", "127.0.0.1"}, {"TCPLOCALHOST", "localhost"}, {"TCPREMOTEIP", "127.0.0.1"},
                {"TCPREMOTEHOST", "localhost"}, {"TCPREMOTEINFO", "sendmail-bs"}};
            for (String[] p : kv) {
                env.put(p[0], Bytes.ascii(p[1]));
            }
        }
        return env;
    }
}

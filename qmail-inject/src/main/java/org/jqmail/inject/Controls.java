package org.jqmail.inject;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.jqmail.control.ConstMap;
import org.jqmail.control.Control;
import org.jqmail.control.Failure;
import org.jqmail.control.PermFail;
import org.jqmail.inject.Token822.Token;
import org.jqmail.io.Bytes;

/**
 * What qmail-inject reads before it looks at the message ({@code getcontrols}, qmail-inject(8)):
 * {@code QMAILMFTFILE} (relative to the caller's directory, read first), then
 * {@code control/defaultdomain}, {@code defaulthost}, {@code plusdomain} and {@code idhost},
 * each defaulting to {@code me} and else to its own name, each overridden by its
 * {@code QMAIL...} environment variable.
 */
final class Controls {
    final Rewrite rewrite;
    final byte[] idhost;
    /** Mailing-list addresses for Mail-Followup-To, or null. */
    final ConstMap mft;

    private Controls(Rewrite rewrite, byte[] idhost, ConstMap mft) {
        this.rewrite = rewrite;
        this.idhost = idhost;
        this.mft = mft;
    }

    static Controls read(Env env, Path home) throws Failure {
        ConstMap mft = null;
        byte[] mftFile = env.get("QMAILMFTFILE");
        try {
            if (mftFile != null) {
                List<byte[]> l = new Control(Paths.get("")).readFile(Bytes.str(mftFile), false);
                if (l != null) {
                    mft = ConstMap.ofList(l);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw Trouble.read();
        }
        if (!Files.isDirectory(home)) {
            throw Trouble.chdir();
        }
        Control c = Control.forHome(home);
        try {
            c.me();
            List<Token> dd = suffix(".", value(c, env, "defaultdomain", "QMAILDEFAULTDOMAIN"));
            List<Token> dh = suffix("@", value(c, env, "defaulthost", "QMAILDEFAULTHOST"));
            List<Token> pd = suffix(".", value(c, env, "plusdomain", "QMAILPLUSDOMAIN"));
            byte[] idhost = value(c, env, "idhost", "QMAILIDHOST");
            return new Controls(new Rewrite(dh, dd, pd), idhost, mft);
        } catch (IOException e) {
            throw Trouble.read();
        }
    }

    private static byte[] value(Control c, Env env, String name, String var) throws IOException {
        byte[] v = c.rldef(name, true, name);
        byte[] x = env.get(var);
        return x != null ? x : v;
    }

    private static List<Token> suffix(String lead, byte[] value) throws PermFail {
        byte[] s = Bytes.concat(Bytes.ascii(lead), value);
        List<Token> t = Token822.parse(s);
        if (t == null) {
            throw Trouble.parseLine(s);
        }
        return t;
    }
}

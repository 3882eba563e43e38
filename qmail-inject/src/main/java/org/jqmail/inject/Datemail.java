package org.jqmail.inject;

import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Main;
import org.jqmail.io.Out;
import org.jqmail.io.ProcSelf;

/** {@code datemail ARGS}: sendmail with a local-time Date field (qmail's {@code predate sendmail}). */
public final class Datemail {
    private Datemail() {
    }

    private static List<byte[]> args(String[] a) {
        return ProcSelf.args(Datemail.class.getName(), a);
    }

    public static void main(String[] a) {
        Main.guard(111);
        Main.end(Main.run("datemail", () -> Helpers.datemail(Auto.get(), Env.process(), args(a), Helpers.stdin(), Out.stdout(), Out.stderr(),
                System.currentTimeMillis() / 1000, ProcessHandle.current().pid())));
    }
}

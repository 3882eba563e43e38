package org.jqmail.local;

import static org.jqmail.local.T.b;
import static org.jqmail.local.T.s;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.jqmail.local.Instructions.Kind;
import org.jqmail.local.Instructions.Line;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class InstructionsTest {
    /** Lines as KIND:shown:arg, joined by " | ". */
    private static String render(String cmds) {
        List<String> r = new ArrayList<>();
        for (Line l : Instructions.parse(b(cmds))) {
            r.add(l.kind() + (l.first() ? "1" : "") + ":" + s(l.shown()) + ":" + s(l.arg()));
        }
        return String.join(" | ", r);
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        // one instruction per kind
        "./Maildir/\\n => MAILDIR1:./Maildir/:./Maildir/",
        "/var/mail/joe\\n => MBOX1:/var/mail/joe:/var/mail/joe",
        "./Mailbox\\n => MBOX1:./Mailbox:./Mailbox",
        "|preline procmail\\n => PROGRAM1:preline procmail:preline procmail",
        "&joe@example.com\\n => FORWARD1:joe@example.com:joe@example.com",
        "joe@example.com\\n => FORWARD1:joe@example.com:joe@example.com",
        "#comment\\n => COMMENT1:#comment:",
        "+list\\n => LIST1:+list:",
        "+other\\n => IGNORED1:+other:",
        // trailing blanks go, leading ones stay (and make a forward)
        "./Maildir/ \\t \\n => MAILDIR1:./Maildir/:./Maildir/",
        "+list \\t\\n => LIST1:+list:",
        "' ./Maildir/\\n' => FORWARD1: ./Maildir/: ./Maildir/",
        "&\\n => FORWARD1::",
        "|\\n => PROGRAM1::",
        // blank lines: only the first one matters
        "\\n => BLANK1::",
        "' \\t \\n' => BLANK1::",
        "./a\\n\\n./b/\\n => MBOX1:./a:./a | BLANK:: | MAILDIR:./b/:./b/",
        // the Maildir/mbox decision is made on the trimmed line
        "./Maildir/   \\n./x /\\n => MAILDIR1:./Maildir/:./Maildir/ | MAILDIR:./x /:./x /",
        // a missing final newline still ends the last line
        "./a\\n&b => MBOX1:./a:./a | FORWARD:b:b"})
    void linesAreClassifiedByTheirFirstByte(String cmds, String expected) {
        assertEquals(expected, render(cmds.replace("\\n", "\n").replace("\\t", "\t")));
    }

    @ParameterizedTest
    @CsvSource(delimiterString = "=>", value = {
        "./Mai\\0ldir/\\n => MAILDIR1:./Mai\u0000ldir/:./Mai",
        "|cmd\\0rest\\n => PROGRAM1:cmd\u0000rest:cmd",
        "+list\\0x\\n => LIST1:+list\u0000x:",
        "\\0./Maildir/\\n => BLANK1::",
        "a@b\\0c\\n => FORWARD1:a@b\u0000c:a@b"})
    void argumentsAreCStringsButListingsShowTheWholeLine(String cmds, String expected) {
        assertEquals(expected, render(cmds.replace("\\n", "\n").replace("\\0", "\u0000")));
    }

    @ParameterizedTest
    @CsvSource({"'',0", "'\n',1", "'a\nb\n',2", "'a\n\n\n',3"})
    void everyNewlineEndsOneLine(String cmds, int count) {
        assertEquals(count, Instructions.parse(b(cmds)).size());
    }

    @ParameterizedTest
    @CsvSource({"' \t \t',BLANK", "'\t',BLANK", "'x\t',FORWARD"})
    void trimmingNeverRunsPastTheLineStart(String line, Kind kind) {
        List<Line> l = Instructions.parse(b("./first\n" + line + "\n"));
        assertEquals(kind, l.get(1).kind());
    }
}

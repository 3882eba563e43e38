package org.jqmail.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControlTest {
    @TempDir
    Path dir;
    Control ctl;

    @BeforeEach
    void setUp() {
        ctl = new Control(dir);
    }

    private void write(String name, String content) throws IOException {
        Files.write(dir.resolve(name), Bytes.ascii(content));
    }

    private static String s(byte[] b) {
        return b == null ? null : Bytes.str(b);
    }

    @Test
    void readLineUsesTheFirstLineWithTrailingWhitespaceStripped() throws IOException {
        write("me", "mail.example.org \t \nsecond line\n");
        assertEquals("mail.example.org", s(ctl.readLine("me")));
        write("x", "  leading kept\t\n");
        assertEquals("  leading kept", s(ctl.readLine("x")));
        write("nonl", "no newline");
        assertEquals("no newline", s(ctl.readLine("nonl")));
    }

    @Test
    void anEmptyFileIsTheEmptyStringNotAbsent() throws IOException {
        write("bouncefrom", "");
        assertEquals("", s(ctl.rldef("bouncefrom", false, "MAILER-DAEMON")));
        write("blank", " \n");
        assertEquals("", s(ctl.readLine("blank")));
    }

    @Test
    void absentFilesTakeMeThenTheDefault() throws IOException {
        assertNull(ctl.readLine("me"));
        assertEquals("bouncehost", s(ctl.rldef("bouncehost", true, "bouncehost")));
        write("me", "host.example\n");
        Control c2 = new Control(dir);
        assertEquals("host.example", s(c2.rldef("bouncehost", true, "bouncehost")));
        assertEquals("MAILER-DAEMON", s(c2.rldef("bouncefrom", false, "MAILER-DAEMON")));
        assertNull(c2.rldef("helohost2", false, (String) null));
    }

    @Test
    void anUnreadableFileIsAnErrorNotAbsent() throws IOException {
        Files.createDirectory(dir.resolve("me"));
        assertThrows(IOException.class, () -> ctl.readLine("me"));
    }

    @Test
    void readIntTakesLeadingDigitsOrKeepsTheDefault() throws IOException {
        assertEquals(10, ctl.readInt("concurrencylocal", 10));
        write("concurrencylocal", "5\n");
        assertEquals(5, ctl.readInt("concurrencylocal", 10));
        write("concurrencyremote", "  20\n");
        assertEquals(20, ctl.readInt("concurrencyremote", 20));
        write("concurrencyremote", "x\n");
        assertEquals(20, ctl.readInt("concurrencyremote", 20));
        write("databytes", "1000 bytes\n");
        assertEquals(1000, ctl.readInt("databytes", 0));
        write("timeoutsmtpd", "-5\n");
        assertEquals(1200, ctl.readInt("timeoutsmtpd", 1200));
    }

    @Test
    void listFilesDropCommentsAndBlankLines() throws IOException {
        write("rcpthosts", "# comment\nexample.org  \n\n\t\n.example.net\n #not a comment\nlast");
        List<byte[]> l = ctl.readFile("rcpthosts", false);
        assertEquals(4, l.size());
        assertEquals("example.org", s(l.get(0)));
        assertEquals(".example.net", s(l.get(1)));
        assertEquals(" #not a comment", s(l.get(2)));
        assertEquals("last", s(l.get(3)));
    }

    @Test
    void absentListFallsBackToMeOnlyWhenAsked() throws IOException {
        assertNull(ctl.readFile("locals", true));
        write("me", "me.example\n");
        Control c2 = new Control(dir);
        List<byte[]> l = c2.readFile("locals", true);
        assertEquals(1, l.size());
        assertEquals("me.example", s(l.get(0)));
        assertNull(c2.readFile("percenthack", false));
    }

    @Test
    void lineAtTheBoundIsReadAndOneByteMoreIsAnError() throws IOException {
        write("limit", "x".repeat(Control.LINE_MAX) + "\n");
        assertEquals(Control.LINE_MAX, ctl.readLine("limit").length);
        write("limit1", "x".repeat(Control.LINE_MAX - 1));
        assertEquals(Control.LINE_MAX - 1, ctl.readLine("limit1").length);
        write("over", "x".repeat(Control.LINE_MAX + 1) + "\n");
        assertThrows(Control.TooLargeException.class, () -> ctl.readLine("over"));
        assertThrows(Control.TooLargeException.class, () -> ctl.readFile("over", false));
    }

    @Test
    void aLongMeIsReadAsQmailReadsIt() throws IOException {
        // 200 KB, far beyond any host name: qmail reads any length, so do we.
        write("me", "m".repeat(200_000) + "\n");
        assertEquals(200_000, ctl.me().length);
        assertEquals(200_000, new Control(dir).readFile("locals", true).get(0).length);
    }

    @Test
    void aListFileAtItsBoundIsReadAndOneByteMoreIsAnError() throws IOException {
        // FILE_MAX bytes in lines of 1 MiB (the last one a byte short, for its LF).
        String line = "y".repeat(Control.LINE_MAX - 1) + "\n";
        StringBuilder b = new StringBuilder(Control.FILE_MAX);
        for (int i = 0; i < Control.FILE_MAX / Control.LINE_MAX; i++) {
            b.append(line);
        }
        write("rcpthosts", b.toString());
        assertEquals(Control.FILE_MAX / Control.LINE_MAX, ctl.readFile("rcpthosts", false).size());
        write("rcpthosts", b.append("z").toString());
        Control.TooLargeException e = assertThrows(Control.TooLargeException.class,
                () -> ctl.readFile("rcpthosts", false));
        assertEquals(dir.resolve("rcpthosts") + ": it is longer than 67108864 bytes, the bound on control files",
                e.getMessage());
    }

    @Test
    void troubleIsToldOfEveryUnreadableFileAndOnlyOfThose() throws IOException {
        List<String> told = new java.util.ArrayList<>();
        Control c = new Control(dir, null, (p, e) -> told.add(p.getFileName() + " " + e.getClass().getSimpleName()));
        write("me", "x".repeat(Control.LINE_MAX + 1));
        assertThrows(Control.TooLargeException.class, c::me);
        write("badmailfrom", "a\n" + "b".repeat(Control.LINE_MAX + 1) + "\n");
        assertThrows(Control.TooLargeException.class, () -> c.readFile("badmailfrom", false));
        Files.createDirectory(dir.resolve("locals"));
        assertThrows(IOException.class, () -> c.readFile("locals", false));
        assertNull(c.readLine("absent"));
        write("fine", "ok\n");
        assertEquals("ok", s(c.readLine("fine")));
        assertEquals(List.of("me TooLargeException", "badmailfrom TooLargeException", "locals IOException"), told);
    }

    @Test
    void colonMapsSplitAtTheFirstColonAndTheLastKeyWins() throws IOException {
        write("smtproutes", "example.org:relay.example:2525\n:smarthost\nEXAMPLE.org:second\nnocolon\n");
        ConstMap m = ctl.readColonMap("smtproutes");
        assertEquals("second", s(m.get(Bytes.ascii("example.ORG"))));
        assertEquals("smarthost", s(m.get(new byte[0])));
        assertNull(m.get(Bytes.ascii("nocolon")));
        assertTrue(ctl.readColonMap("virtualdomains").isEmpty());
    }

    @Test
    void setsFoldOnlyAsciiLetters() throws IOException {
        write("locals", "Example.ORG\n\u00c9x.org\n");
        ConstMap m = ctl.readSet("locals", false);
        assertTrue(m.contains(Bytes.ascii("example.org")));
        assertTrue(m.contains(Bytes.ascii("EXAMPLE.org")));
        assertTrue(m.contains(Bytes.ascii("\u00c9x.org")));
        assertNull(m.get(Bytes.ascii("\u00e9x.org")));
        assertArrayEquals(new byte[0], m.get(Bytes.ascii("example.org")));
    }
}

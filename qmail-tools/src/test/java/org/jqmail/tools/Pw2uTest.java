package org.jqmail.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jqmail.control.Auto;
import org.jqmail.io.Bytes;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** qmail-pw2u's rules and options. Homes are made in a temp dir owned by the test's own uid. */
class Pw2uTest {
    @TempDir
    Path home;
    int uid;
    String err;

    @BeforeEach
    void homes() throws IOException {
        Files.createDirectories(home.resolve("qmail/users"));
        for (String h : new String[] {"alias", "joe", "Upper", "ann"}) {
            Files.createDirectories(home.resolve("h").resolve(h));
        }
        uid = (Integer) Files.getAttribute(home, "unix:uid");
        if (uid == 0) {
            // qmail-pw2u skips uid 0: as root, give the homes to an ordinary uid.
            uid = 7000;
            for (String h : new String[] {"alias", "joe", "Upper", "ann"}) {
                Files.setAttribute(home.resolve("h").resolve(h), "unix:uid", uid);
            }
        }
    }

    private String passwd() {
        String h = home.resolve("h").toString();
        return "root:x:0:0::/root:/bin/sh\n"
                + "alias:x:" + uid + ":2108::" + h + "/alias:/bin/false\n"
                + "joe:x:" + uid + ":100:Joe:" + h + "/joe:/bin/sh\n"
                + "Upper:x:" + uid + ":100::" + h + "/Upper:/bin/sh\n"
                + "gone:x:" + uid + ":100::" + h + "/gone:/bin/sh\n"
                + "other:x:" + uid + "1:100::" + h + "/ann:/bin/sh\n"
                + "short:x:5\n"
                + "ann:x:" + uid + ":100::" + h + "/ann:/bin/sh";
    }

    private String run(int want, String input, String... args) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        List<byte[]> a = new ArrayList<>();
        for (String s : args) {
            a.add(Bytes.ascii(s));
        }
        assertEquals(want, new Pw2u(Auto.load(home.resolve("qmail")), new ByteArrayInputStream(Bytes.ascii(input)),
                out, e).run(a));
        err = e.toString("ISO-8859-1");
        return out.toString("ISO-8859-1");
    }

    @Test
    void acceptedUsersGetSimpleAndWildcardLines() throws IOException {
        String h = home.resolve("h").toString();
        String u = ":" + uid + ":";
        assertEquals("+:alias" + u + "2108:" + h + "/alias:-::\n"
                + "=alias:alias" + u + "2108:" + h + "/alias:::\n"
                + "+alias-:alias" + u + "2108:" + h + "/alias:-::\n"
                + "=joe:joe" + u + "100:" + h + "/joe:::\n"
                + "+joe-:joe" + u + "100:" + h + "/joe:-::\n"
                + "=ann:ann" + u + "100:" + h + "/ann:::\n"
                + "+ann-:ann" + u + "100:" + h + "/ann:-::\n"
                + ".\n", run(0, passwd()));
    }

    @Test
    void optionsChangeTheRules() throws IOException {
        String h = home.resolve("h").toString();
        String out = run(0, passwd(), "-u", "-C", "-/", "-H");
        assertEquals(true, out.contains("=Upper:Upper:" + uid + ":100:" + h + "/Upper:::\n"));
        assertEquals(true, out.contains("=gone:gone:"));
        assertEquals(true, out.startsWith("+:alias:" + uid + ":2108:" + h + "/alias:-/::\n"));
        assertEquals(false, out.contains("+joe"));
        out = run(0, passwd(), "-c+");
        assertEquals(true, out.contains("+joe+:joe:"));
        run(111, passwd(), "-h");
        assertEquals("qmail-pw2u: fatal: unable to stat " + h + "/gone\n", err);
        run(100, passwd(), "-x");
        assertEquals("qmail-pw2u: illegal option -- x\n", err);
    }

    @Test
    void usersFilesShapeTheOutput() throws IOException {
        Path users = home.resolve("qmail/users");
        Files.writeString(users.resolve("exclude"), "ann\n");
        Files.writeString(users.resolve("mailnames"), "joe:joe.smith:js\n");
        Files.writeString(users.resolve("subusers"), "sales:joe:sales:\nbad line\n");
        Files.writeString(users.resolve("append"), "=extra:joe:1:1:/x:::\n");
        String h = home.resolve("h").toString();
        String joe = ":joe:" + uid + ":100:" + h + "/joe:";
        String out = run(0, passwd());
        assertEquals(true, out.contains("=joe.smith" + joe + "::\n+joe.smith-" + joe + "-::\n=js" + joe + "::\n"));
        assertEquals(false, out.contains("ann"));
        assertEquals(true, out.endsWith("=sales" + joe + "-:sales:\n+sales-" + joe + "-:sales-:\n=extra:joe:1:1:/x:::\n.\n"));
        Files.writeString(users.resolve("include"), "joe\n");
        run(111, passwd());
        assertEquals("qmail-pw2u: fatal: unable to find alias user\n", err);
        Files.delete(users.resolve("include"));
        Files.writeString(users.resolve("subusers"), "x:nobody:p:\n");
        run(111, passwd());
        assertEquals("qmail-pw2u: fatal: unable to find nobody user for subuser\n", err);
    }
}
